"""Bulk list actions: permission per record, one refusal writes nothing, audit and signals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import AuditEntry, Partner, Partnership, Touchpoint
from crm.services.list_actions import (
    partner_publish_many,
    partner_unpublish_many,
    partnership_lead_assign_many,
    touchpoint_follow_up_done_many,
)
from crm.signals import audit_recorded_in_bulk, data_changed
from tests.factories import make_merged, make_partner, make_partnership, make_touchpoint

ADMIN = "admin"


def _logged_by(user, partner) -> Touchpoint:
    touchpoint = make_touchpoint(partner, follow_up_on=dt.date(2024, 10, 10))
    Touchpoint.objects.filter(pk=touchpoint.pk).update(staff=user)
    touchpoint.refresh_from_db()
    return touchpoint


@pytest.fixture
def heard():
    said = {"bulk_audit": [], "changed": []}

    def on_audit(sender, entries, **kwargs):
        said["bulk_audit"].extend(entries)

    def on_change(sender, **kwargs):
        said["changed"].append(sender)

    audit_recorded_in_bulk.connect(on_audit)
    data_changed.connect(on_change)
    yield said
    audit_recorded_in_bulk.disconnect(on_audit)
    data_changed.disconnect(on_change)


def test_unpublish_writes_each_partner_audits_and_signals(world, heard):
    a = make_partner("Alpha Aid", published=True)
    b = make_partner("Beta Books", published=True)
    c = make_partner("Gamma Garden", published=False)

    partner_unpublish_many(partners=[a, b, c], actor=world.pat, source=ADMIN)

    assert not Partner.objects.filter(published=True).exists()
    entries = AuditEntry.objects.filter(action="partner.update", actor=world.pat)
    # Only the two that changed are audited, each with what changed.
    assert {e.object_id for e in entries} == {str(a.pk), str(b.pk)}
    assert all(e.changes == {"published": [True, False]} for e in entries)
    assert {e.object_id for e in heard["bulk_audit"]} == {str(a.pk), str(b.pk)}
    assert Partner in heard["changed"]


def test_publish_refuses_the_whole_batch_for_one_merged_partner(world):
    live = make_partner("Live Org")
    survivor = make_partner("Survivor Org")
    merged = make_merged(make_partner("Merged Org"), survivor)

    with pytest.raises(PermissionDenied, match="Merged Org"):
        partner_publish_many(partners=[live, merged], actor=world.ana, source=ADMIN)

    assert not Partner.objects.filter(published=True).exists()
    assert not AuditEntry.objects.filter(action="partner.update").exists()


@pytest.mark.parametrize("persona", ["cora", "lee"])
def test_people_who_cannot_change_partners_publish_nothing(world, persona):
    partner = make_partner("Alpha Aid")
    with pytest.raises(PermissionDenied):
        partner_publish_many(partners=[partner], actor=getattr(world, persona), source=ADMIN)
    partner.refresh_from_db()
    assert partner.published is False


def test_assign_lead_staff_to_many_partnerships(world):
    p1 = make_partnership(make_partner("Alpha Aid"))
    p2 = make_partnership(make_partner("Beta Books"), lead_staff=world.ana)

    partnership_lead_assign_many(
        partnerships=[p1, p2], lead_staff=world.pat, actor=world.ana, source=ADMIN
    )

    assert set(Partnership.objects.values_list("lead_staff", flat=True)) == {world.pat.pk}
    changes = sorted(
        AuditEntry.objects.filter(action="partnership.update").values_list("changes", flat=True),
        key=str,
    )
    assert changes == sorted(
        [{"lead_staff": [None, world.pat.pk]}, {"lead_staff": [world.ana.pk, world.pat.pk]}],
        key=str,
    )


def test_lead_staff_must_be_an_active_staff_member(world):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user("visitor", password="x")
    partnership = make_partnership(make_partner("Alpha Aid"))
    with pytest.raises(ValidationError):
        partnership_lead_assign_many(
            partnerships=[partnership], lead_staff=outsider, actor=world.ana, source=ADMIN
        )
    partnership.refresh_from_db()
    assert partnership.lead_staff is None


def test_coordinator_cannot_assign_leads(world):
    partnership = make_partnership(make_partner("Alpha Aid"))
    with pytest.raises(PermissionDenied):
        partnership_lead_assign_many(
            partnerships=[partnership], lead_staff=world.cora, actor=world.cora, source=ADMIN
        )


def test_staff_mark_any_follow_up_done(world):
    partner = make_partner("Alpha Aid")
    mine = _logged_by(world.cora, partner)
    theirs = _logged_by(world.omar, partner)

    touchpoint_follow_up_done_many(touchpoints=[mine, theirs], actor=world.pat, source=ADMIN)

    assert set(Touchpoint.objects.values_list("follow_up_done", flat=True)) == {True}
    assert AuditEntry.objects.filter(action="touchpoint.update").count() == 2


def test_coordinator_closes_only_her_own_follow_ups_and_one_other_stops_all(world):
    partner = make_partner("Alpha Aid")
    mine = _logged_by(world.cora, partner)
    theirs = _logged_by(world.omar, partner)

    with pytest.raises(PermissionDenied):
        touchpoint_follow_up_done_many(touchpoints=[mine, theirs], actor=world.cora, source=ADMIN)
    assert not Touchpoint.objects.filter(follow_up_done=True).exists()
    assert not AuditEntry.objects.filter(action="touchpoint.update").exists()

    touchpoint_follow_up_done_many(touchpoints=[mine], actor=world.cora, source=ADMIN)
    assert list(Touchpoint.objects.filter(follow_up_done=True)) == [mine]


def test_leadership_closes_no_follow_ups(world):
    touchpoint = _logged_by(world.lee, make_partner("Alpha Aid"))
    with pytest.raises(PermissionDenied):
        touchpoint_follow_up_done_many(touchpoints=[touchpoint], actor=world.lee, source=ADMIN)


def test_an_empty_selection_is_refused(world):
    with pytest.raises(ValidationError):
        partner_publish_many(partners=[], actor=world.ana, source=ADMIN)
