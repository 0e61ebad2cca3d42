"""Closed referrals past REFERRAL_RETENTION_DAYS are anonymised by a command that dry-runs first;
the aggregate counts stay exactly the same.
"""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from crm.models import AuditEntry, Referral, ReferralDisclosure, ReferralStatus
from crm.selectors.coordination import referral_figures
from crm.services.coordination import referral_anonymise_expired
from crm.services.disclosures import disclosure_record
from crm.services.referrals import referral_status_change
from tests.factories import make_partner, make_referral

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
S = ReferralStatus


def _close(referral, status, on):
    if status == S.COMPLETED:
        for step in (S.ACCEPTED, S.IN_SERVICE):
            referral = referral_status_change(
                referral=referral, to_status=step, changed_on=on, actor=None, source="command"
            )
    return referral_status_change(
        referral=referral,
        to_status=status,
        changed_on=on,
        reason="family moved",
        outcome="Finished the program",
        actor=None,
        source="command",
    )


@pytest.fixture
def aged(world, settings):
    settings.REFERRAL_RETENTION_DAYS = 3 * 365
    partner = make_partner("Harbor Food Bank")
    with time_machine.travel(dt.datetime(2021, 1, 5, 9, tzinfo=LA), tick=False):
        old_done = make_referral(
            world.roosevelt,
            partner,
            student_ref="OLD-0001",
            referred_on=dt.date(2020, 11, 2),
            grade="5",
            notes="Lives with grandmother",
        )
        old_done = _close(old_done, S.COMPLETED, dt.date(2020, 12, 1))
        old_declined = make_referral(
            world.garfield, partner, student_ref="OLD-0002", referred_on=dt.date(2020, 11, 3)
        )
        old_declined = _close(old_declined, S.DECLINED, dt.date(2020, 12, 15))
        old_open = make_referral(
            world.roosevelt, partner, student_ref="OPEN-0003", referred_on=dt.date(2020, 10, 1)
        )
        recent = make_referral(
            world.roosevelt, partner, student_ref="NEW-0004", referred_on=dt.date(2020, 12, 20)
        )
    with time_machine.travel(dt.datetime(2021, 6, 1, 9, tzinfo=LA), tick=False):
        recent = _close(recent, S.NO_CAPACITY, dt.date(2021, 5, 30))
        disclosure_record(
            actor=world.cora, source="admin", action="view", referrals=[old_done, recent]
        )
    return {"old_done": old_done, "old_declined": old_declined, "open": old_open, "recent": recent}


def _run(*args):
    out = io.StringIO()
    call_command("anonymise_referrals", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("args", [(), ("--dry-run",)])
def test_dry_run_says_what_would_change_and_changes_nothing(aged, args):
    with time_machine.travel(dt.datetime(2024, 2, 1, 9, tzinfo=LA), tick=False):
        before = list(Referral.objects.order_by("id").values())
        output = _run(*args)
    assert "Dry run: 2 closed referral(s)" in output
    assert f"#{aged['old_done'].pk}" in output and f"#{aged['old_declined'].pk}" in output
    assert f"#{aged['recent'].pk}" not in output
    assert list(Referral.objects.order_by("id").values()) == before


def test_apply_anonymises_expired_referrals_and_keeps_counts(aged):
    figures_before = referral_figures()
    with time_machine.travel(dt.datetime(2024, 2, 1, 9, tzinfo=LA), tick=False):
        output = _run("--apply")
    assert "Anonymised 2 closed referral(s)" in output
    assert referral_figures() == figures_before
    for key in ("old_done", "old_declined"):
        referral = Referral.objects.get(pk=aged[key].pk)
        assert referral.student_ref.startswith("ANON-")
        assert (referral.notes, referral.outcome, referral.grade) == ("", "", "")
        assert referral.anonymised_at is not None
        assert not referral.status_changes.exclude(reason="").exists()
    kept = Referral.objects.get(pk=aged["recent"].pk)
    assert kept.student_ref == "NEW-0004" and kept.anonymised_at is None
    assert Referral.objects.get(pk=aged["open"].pk).student_ref == "OPEN-0003"
    disclosures = dict(ReferralDisclosure.objects.values_list("referral_id", "student_ref"))
    assert disclosures == {aged["old_done"].pk: "", aged["recent"].pk: "NEW-0004"}
    assert AuditEntry.objects.filter(action="referral.anonymise").count() == 2
    assert not AuditEntry.objects.filter(changes__icontains="OLD-000").exists()


def test_a_second_run_finds_nothing(aged):
    with time_machine.travel(dt.datetime(2024, 2, 1, 9, tzinfo=LA), tick=False):
        _run("--apply")
        assert "Dry run: 0 closed referral(s)" in _run()


def test_nothing_expires_before_the_retention_ends(aged):
    with time_machine.travel(dt.datetime(2023, 11, 1, 9, tzinfo=LA), tick=False):
        result = referral_anonymise_expired(
            today=dt.date(2023, 11, 1), dry_run=False, actor=None, source="command"
        )
    assert result.count == 0
    assert not Referral.objects.filter(student_ref__startswith="ANON-").exists()


@pytest.mark.parametrize("persona", ["cora", "lee", "pat"])
def test_only_administrators_may_anonymise(aged, world, persona):
    with pytest.raises(PermissionDenied):
        referral_anonymise_expired(
            today=dt.date(2024, 2, 1),
            dry_run=False,
            actor=getattr(world, persona),
            source="admin",
        )
    assert not Referral.objects.filter(student_ref__startswith="ANON-").exists()
