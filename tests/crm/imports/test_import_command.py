"""`import_records` and `purge_imports`: summaries, exit codes, flags."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from crm.models import AuditEntry, ImportBatch, Partner
from tests.factories import make_partner, make_user

SAMPLES = Path(__file__).parent / "samples"


def call(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, verbosity=0)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def partner_file(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(
        "name,website\nBoys and Girls Club of Pomona Valley,bgcpv.org\nHarbor Food Bank,\n"
        "Nameless Kind Org,\n",
        encoding="utf-8",
    )
    return path


def test_import_command_summary_and_duplicates(db, partner_file):
    make_partner("Boys & Girls Club of Pomona Valley", website="bgcpv.org")
    out, _ = call("import_records", "partners", str(partner_file))
    assert "row 2: likely duplicate of Boys & Girls Club of Pomona Valley (partner #" in out
    assert "created 2, updated 0, linked 0, duplicates 1, skipped 1, errors 0" in out
    assert Partner.objects.count() == 3
    assert AuditEntry.objects.filter(channel="import", action="partner.create").count() == 2


def test_import_command_link_and_dry_run(db, partner_file):
    club = make_partner("Boys & Girls Club of Pomona Valley", website="bgcpv.org")
    out, _ = call("import_records", "partners", str(partner_file), "--dry-run")
    assert "Dry run: would import 2 new" in out
    assert Partner.objects.count() == 1
    out, _ = call("import_records", "partners", str(partner_file), "--duplicates", "link")
    assert "linked 1" in out
    club.refresh_from_db()
    assert club.aliases == ["Boys and Girls Club of Pomona Valley"]


def test_import_command_errors_exit_nonzero(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,kind\nGood Org,\nBad Org,spaceship\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 row\\(s\\) had errors"):
        call("import_records", "partners", str(path))
    assert not Partner.objects.exists()
    with pytest.raises(CommandError):
        call("import_records", "partners", str(path), "--no-strict")
    assert list(Partner.objects.values_list("name", flat=True)) == ["Good Org"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("zip_bomb.xlsx", "ZIP bomb"), ("empty.csv", "empty"), ("missing.csv", "Cannot read")],
)
def test_import_command_refused_file(db, name, message):
    with pytest.raises(CommandError, match=message):
        call("import_records", "partners", str(SAMPLES / name))


def test_purge_imports_older_than(db):
    user = make_user("uploader")
    with time_machine.travel(dt.datetime(2025, 1, 1, 8, tzinfo=dt.UTC), tick=False):
        ImportBatch.objects.create(user=user, kind="partners", filename="old.csv")
    with time_machine.travel(dt.datetime(2025, 1, 2, 7, tzinfo=dt.UTC), tick=False):
        ImportBatch.objects.create(user=user, kind="partners", filename="new.csv")
        out, _ = call("purge_imports", "--older-than", "12")
    assert "Deleted 1 import batch(es)" in out
    assert list(ImportBatch.objects.values_list("filename", flat=True)) == ["new.csv"]
