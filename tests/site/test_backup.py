"""`manage.py backup` / `restore`: a round trip into an emptied database gives back every row of
every table, the same annual report and the media files; a failed backup leaves no partial file.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection

import cms.backup as backup_module
from cms.backup import BackupError
from tests.factories import (
    make_contact,
    make_event,
    make_funding,
    make_grant,
    make_partner,
    make_partnership,
    make_referral,
    make_touchpoint,
)

pytestmark = pytest.mark.django_db(transaction=True)


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def report_text() -> str:
    out = io.StringIO()
    call_command("partnership_report", "--fy", "2024-25", "--format", "text", stdout=out)
    return out.getvalue()


@pytest.fixture
def filled(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "logo.png").write_bytes(b"\x89PNG logo")
    for n in range(3):
        partner = make_partner(f"Harbor Food Bank {n}")
        make_contact(partner)
        make_partnership(partner, start_date=dt.date(2024, 9, 1), strategic=True)
        make_touchpoint(partner)
        make_funding(partner=partner)
        make_event(world.roosevelt, partners=[partner], participants=12)
        make_referral(world.garfield, partner)
    make_grant(world.roosevelt)
    return world


def test_backup_and_restore_round_trip(filled, settings, tmp_path):
    counts, report = row_counts(), report_text()
    assert counts["crm_partner"] == 3 and counts["crm_referral"] == 3
    archive = tmp_path / "out" / "partnerbase.tar"
    call_command("backup", str(archive), stdout=io.StringIO())

    call_command("flush", "--noinput")
    (settings.MEDIA_ROOT / "images" / "logo.png").unlink()
    assert row_counts()["crm_partner"] == 0

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert row_counts() == counts
    assert report_text() == report
    assert (settings.MEDIA_ROOT / "images" / "logo.png").read_bytes() == b"\x89PNG logo"


def test_a_failed_backup_leaves_the_previous_file_whole(filled, tmp_path, monkeypatch):
    archive = tmp_path / "partnerbase.tar"
    archive.write_bytes(b"yesterday's backup")

    def broken(conn, workdir):
        (workdir / "database.sqlite3").write_bytes(b"half a datab")
        raise BackupError("disk full")

    monkeypatch.setattr(backup_module, "_dump_database", broken)
    with pytest.raises(BackupError):
        backup_module.backup(archive)
    assert archive.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media", "partnerbase.tar"]
