"""`manage.py partner_add`: shows likely duplicates and refuses unless --create-anyway."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from crm.models import AuditEntry, Partner
from tests.factories import make_partner


def test_creates_a_new_partner(db):
    out = io.StringIO()
    call_command("partner_add", name="  Westside   Chess Academy ", website="chess.org", stdout=out)
    partner = Partner.objects.get()
    assert partner.name == "Westside Chess Academy" and partner.website == "chess.org"
    assert f"#{partner.pk}" in out.getvalue()


@pytest.mark.parametrize("name", ["boys and girls club ", "Boys and Girls Club, Inc."])
def test_refuses_a_likely_duplicate_and_shows_why(db, name):
    existing = make_partner("Boys & Girls Club")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing created"):
        call_command("partner_add", name=name, stderr=err)
    assert f"#{existing.pk} Boys & Girls Club: likely duplicate" in err.getvalue()
    assert Partner.objects.count() == 1


def test_create_anyway_is_recorded(db):
    existing = make_partner("Boys & Girls Club")
    call_command(
        "partner_add", name="Boys and Girls Club", create_anyway=True, stdout=io.StringIO()
    )
    created = Partner.objects.exclude(pk=existing.pk).get()
    entry = AuditEntry.objects.get(action="partner.create", object_id=str(created.pk))
    assert entry.channel == "command"
    assert [m["id"] for m in entry.changes["created_anyway_over"]] == [existing.pk]


def test_blank_name_is_a_clear_error(db):
    with pytest.raises(CommandError, match="needs a name"):
        call_command("partner_add", name="   ")
    assert not Partner.objects.exists()


def test_exit_status_is_not_zero_when_refused(db, capsys, monkeypatch):
    # Through the same entry point as manage.py, so the status is what a shell script sees.
    # That entry point closes every connection when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    make_partner("Boys & Girls Club")
    with pytest.raises(SystemExit) as refused:
        ManagementUtility(
            ["manage.py", "partner_add", "--name", "Boys and Girls Club, Inc."]
        ).execute()
    assert refused.value.code != 0
    assert "likely duplicate" in capsys.readouterr().err
    assert Partner.objects.count() == 1
