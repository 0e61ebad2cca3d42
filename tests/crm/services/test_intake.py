"""partnership_log_from_intake and touchpoint_log_from_intake: one intake, written whole or not
at all, with the duplicate check, the "already a partner" stop, permissions and the audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import (
    AuditEntry,
    Contact,
    DuplicateCandidate,
    Partner,
    Partnership,
    Touchpoint,
)
from crm.selectors.partners import likely_duplicates, partner_matches
from crm.services import intake as intake_module
from crm.services.intake import (
    DUPLICATE,
    EXISTS,
    LOGGED,
    SAVED,
    partnership_log_from_intake,
    touchpoint_log_from_intake,
)
from tests.factories import make_contact, make_merged, make_partner, make_partnership

TODAY = dt.date(2025, 3, 3)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        yield


def counts() -> tuple[int, int, int, int]:
    return (
        Partner.objects.count(),
        Partnership.objects.count(),
        Contact.objects.count(),
        Touchpoint.objects.count(),
    )


def log(world, **fields):
    fields.setdefault("actor", world.pat)
    fields.setdefault("source", "admin")
    return partnership_log_from_intake(**fields)


def harbor():
    return make_partner("Harbor Community Food Bank", website="https://harborfood.org")


def test_new_partner_with_contact_partnership_and_touchpoint(world):
    result = log(
        world,
        name="  Harbor   Community Food Bank ",
        contact_name="Maria Lopez",
        contact_email="maria@harborfood.org",
        strategic=True,
        agreement_type="mou",
        notes="Met at the spring resource fair.",
        channel="meeting",
    )
    assert result.status == SAVED and result.created_partner
    assert result.partner.name == "Harbor Community Food Bank"
    partnership = Partnership.objects.get()
    assert (partnership.start_date, partnership.strategic, partnership.agreement_type) == (
        TODAY,
        True,
        "mou",
    )
    assert partnership.lead_staff == world.pat and partnership.notes.startswith("Met at")
    assert Contact.objects.get().email == "maria@harborfood.org"
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.channel, touchpoint.occurred_on, touchpoint.staff) == (
        "meeting",
        TODAY,
        world.pat,
    )
    assert touchpoint.summary == "Met at the spring resource fair."
    actions = set(AuditEntry.objects.filter(channel="admin").values_list("action", flat=True))
    assert actions == {
        "partner.create",
        "partnership.create",
        "contact.create",
        "touchpoint.create",
    }


@pytest.mark.parametrize(
    "places, scope",
    [("schools", "schools"), ("districts", "districts"), ("none", "countywide")],
)
def test_scope_follows_the_places(world, places, scope):
    given = {
        "schools": {"schools": [world.roosevelt], "districts": [world.east]},
        "districts": {"districts": [world.east]},
        "none": {},
    }[places]
    result = log(world, name="Harbor Youth Sports", **given)
    assert result.partnership.scope == scope
    assert list(result.partner.schools_served.all()) == given.get("schools", [])
    assert list(result.partnership.districts.all()) == given.get("districts", [])


def test_summary_defaults_to_the_notes_then_the_channel(world):
    result = log(world, name="Harbor Youth Sports", source="slack")
    assert result.touchpoint.summary == "Partnership logged from Slack."
    assert result.contact is None and Contact.objects.count() == 0


def test_existing_partner_by_id(world):
    partner = harbor()
    result = log(world, partner_id=partner.pk, name="ignored when an id is given")
    assert result.status == SAVED and not result.created_partner
    assert result.partner == partner and Partner.objects.count() == 1
    assert result.partnership.partner == partner


def test_a_merged_partner_is_followed_to_its_survivor(world):
    survivor = harbor()
    loser = make_merged(make_partner("Harbour Food Bank"), survivor)
    result = log(world, partner_id=loser.pk)
    assert result.partner == survivor and result.partnership.partner == survivor


def test_likely_duplicate_writes_nothing_and_gives_the_matches(world):
    existing = harbor()
    before = counts()
    result = log(world, name="Harbor Community Foodbank", contact_name="Maria Lopez")
    assert result.status == DUPLICATE
    assert [m.id for m in result.matches] == [existing.pk]
    assert result.matches[0].reasons
    assert counts() == before
    assert not AuditEntry.objects.filter(actor=world.pat).exists()


def test_create_anyway_queues_the_pair_and_audits_the_override(world):
    existing = harbor()
    result = log(world, name="Harbor Community Foodbank", create_anyway=True)
    assert result.status == SAVED and result.created_partner
    pair = DuplicateCandidate.objects.get()
    assert {pair.left_id, pair.right_id} == {existing.pk, result.partner.pk}
    created = AuditEntry.objects.get(action="partner.create", actor=world.pat)
    assert created.changes["created_anyway_over"][0]["id"] == existing.pk


def test_choosing_an_offered_partner_records_the_choice(world):
    existing = harbor()
    offered = likely_duplicates(partner_matches(name="Harbor Community Foodbank"))
    result = log(world, partner_id=existing.pk, name="Harbor Community Foodbank", offered=offered)
    assert result.status == SAVED and result.partner == existing
    choice = AuditEntry.objects.get(action="partner.use_existing")
    assert choice.object_id == str(existing.pk)
    assert choice.changes["typed_name"] == "Harbor Community Foodbank"


def test_a_partner_that_was_not_offered_is_refused(world):
    harbor()
    other = make_partner("Eastside Tutoring Collective")
    offered = likely_duplicates(partner_matches(name="Harbor Community Foodbank"))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        log(world, partner_id=other.pk, name="Harbor Community Foodbank", offered=offered)
    assert "partner" in refused.value.message_dict
    assert counts() == before


def test_an_active_partnership_of_the_same_kind_stops_before_counting_twice(world):
    partner = harbor()
    same = make_partnership(partner, strategic=True, agreement_type="mou", lead_staff=world.ana)
    before = counts()
    offered = likely_duplicates(partner_matches(name="Harbor Community Foodbank"))
    result = log(
        world,
        partner_id=partner.pk,
        name="Harbor Community Foodbank",
        offered=offered,
        strategic=True,
        agreement_type="mou",
        contact_name="Maria Lopez",
    )
    assert result.status == EXISTS and result.partnership == same
    assert counts() == before
    # The person's choice of the existing partner stands even though nothing else was written.
    assert AuditEntry.objects.filter(action="partner.use_existing").count() == 1


def test_a_different_kind_of_partnership_is_added(world):
    partner = harbor()
    make_partnership(partner, strategic=False, agreement_type="informal")
    result = log(world, partner_id=partner.pk, strategic=True, agreement_type="mou")
    assert result.status == SAVED and Partnership.objects.count() == 2


@pytest.mark.parametrize("persona", ["cora", "lee"])
def test_refused_without_the_permissions(world, persona):
    before = counts()
    with pytest.raises(PermissionDenied):
        log(world, actor=getattr(world, persona), name="Harbor Youth Sports")
    assert counts() == before


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"name": "   "}, "name"),
        ({"name": "Harbor Youth Sports", "contact_email": "maria@example.org"}, "contact_name"),
        ({"name": "Harbor Youth Sports", "contact_phone": "555-0100"}, "contact_name"),
        ({"partner_id": 999_999}, "partner"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_writes_nothing(world, fields, key):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        log(world, **fields)
    assert key in refused.value.message_dict
    assert counts() == before


def test_a_failure_late_in_the_intake_rolls_everything_back(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake_module, "touchpoint_create", broken)
    audited = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        log(world, name="Harbor Youth Sports", contact_name="Maria Lopez")
    assert counts() == (0, 0, 0, 0)
    assert AuditEntry.objects.count() == audited


def test_log_instead_adds_a_new_contact_and_the_touchpoint_only(world):
    partner = harbor()
    make_partnership(partner)
    make_contact(partner, name="Maria Lopez")
    result = touchpoint_log_from_intake(
        actor=world.pat,
        source="slack",
        partner_id=partner.pk,
        contact_name="maria  lopez",
        notes="Second visit.",
    )
    assert result.status == LOGGED and result.contact is None
    assert Contact.objects.count() == 1 and Partnership.objects.count() == 1
    assert Touchpoint.objects.get().summary == "Second visit."
    result = touchpoint_log_from_intake(
        actor=world.pat, source="slack", partner_id=partner.pk, contact_name="Ray Chen"
    )
    assert result.contact.name == "Ray Chen"
    assert result.touchpoint.summary == "Partnership logged from Slack."


def test_log_instead_is_refused_without_permission(world):
    partner = harbor()
    with pytest.raises(PermissionDenied):
        touchpoint_log_from_intake(actor=world.lee, source="admin", partner_id=partner.pk)
    assert Touchpoint.objects.count() == 0
