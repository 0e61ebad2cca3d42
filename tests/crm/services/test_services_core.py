"""The services validate, check permissions, and write the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import AuditEntry, Event, Partner, Partnership, Referral
from crm.services.activity import event_create, partnership_create
from crm.services.partners import DuplicatePartner, partner_create
from crm.services.referrals import StaleEdit, referral_status_change, referral_update
from tests.factories import make_partner, make_referral


def test_partner_create_audits_with_channel(world):
    partner = partner_create(name="Boys & Girls Club of Pasadena", actor=world.pat, source="slack")
    entry = AuditEntry.objects.get(action="partner.create", object_id=str(partner.pk))
    assert (entry.actor, entry.channel) == (world.pat, "slack")


def test_partner_create_stops_on_likely_duplicate_and_records_create_anyway(world):
    first = partner_create(name="Boys & Girls Club of Pasadena", actor=world.pat, source="admin")
    with pytest.raises(DuplicatePartner) as caught:
        partner_create(name="boys and girls club of pasadena inc", actor=world.pat, source="admin")
    assert caught.value.matches[0].id == first.pk
    assert Partner.objects.count() == 1
    second = partner_create(
        name="boys and girls club of pasadena inc",
        actor=world.pat,
        source="admin",
        create_anyway=True,
    )
    entry = AuditEntry.objects.get(action="partner.create", object_id=str(second.pk))
    assert entry.changes["created_anyway_over"][0]["id"] == first.pk


@pytest.mark.parametrize("persona", ["cora", "lee"])
def test_roles_without_add_partner_are_refused(world, persona):
    with pytest.raises(PermissionDenied):
        partner_create(name="Anything Org", actor=getattr(world, persona), source="admin")
    assert not Partner.objects.exists()


def test_bad_dates_are_refused_and_nothing_saved(world):
    partner = make_partner("Harbor Food Bank")
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        partnership_create(
            partner=partner,
            start_date=dt.date(2024, 9, 1),
            end_date=dt.date(2024, 1, 1),
            actor=None,
            source="command",
        )
    assert not Partnership.objects.exists()


def test_negative_counts_are_refused(world):
    with pytest.raises(ValidationError):
        event_create(
            school=world.roosevelt,
            kind="workshop",
            date=dt.date(2024, 9, 1),
            participants=-3,
            actor=None,
            source="command",
        )
    assert not Event.objects.exists()


def test_fiscal_year_is_stored(world):
    partner = make_partner("Harbor Food Bank")
    partnership = partnership_create(
        partner=partner, start_date=dt.date(2024, 7, 1), actor=None, source="command"
    )
    assert partnership.start_fy == 2025
    event = event_create(
        school=world.roosevelt,
        kind="workshop",
        date=dt.date(2024, 6, 30),
        actor=None,
        source="command",
    )
    assert event.fiscal_year == 2024


def test_coordinator_writes_only_for_own_school(world):
    with pytest.raises(PermissionDenied):
        event_create(
            school=world.garfield,
            kind="workshop",
            date=dt.date(2024, 9, 1),
            actor=world.cora,
            source="admin",
        )
    event = event_create(
        school=world.roosevelt,
        kind="workshop",
        date=dt.date(2024, 9, 1),
        actor=world.cora,
        source="admin",
    )
    assert event.recorded_by == world.cora


def test_referral_status_loop_and_stale_edit(world):
    referral = make_referral(world.roosevelt, make_partner("Harbor Food Bank"))
    with pytest.raises(ValidationError, match="cannot go from Referred to Completed"):
        referral_status_change(
            referral=referral, to_status="completed", actor=world.cora, source="admin"
        )
    referral_status_change(
        referral=referral,
        to_status="accepted",
        actor=world.cora,
        source="admin",
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        referral_update(
            referral=referral,
            actor=world.cora,
            source="admin",
            data={"grade": "5"},
            expected_version=1,
        )
    assert Referral.objects.get().grade == ""
