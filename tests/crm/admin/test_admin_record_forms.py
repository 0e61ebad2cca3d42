"""Each CRM admin add form saves through its service: one audit entry, channel "admin", actor."""

import pytest
from django.urls import reverse
from wagtail.permissions import policy_registry

from crm.models import AuditEntry, Partner, StaffProfile
from tests.factories import make_partner, make_user


def _data(world, partner) -> dict[str, dict]:
    return {
        "crm_contact:add": {"partner": partner.pk, "name": "Maria Lopez", "role": "Director"},
        "crm_partnership:add": {
            "partner": partner.pk,
            "scope": "schools",
            "schools": [world.roosevelt.pk],
            "start_date": "2024-09-01",
            "status": "active",
            "strategic": "on",
            "agreement_type": "mou",
        },
        "crm_touchpoint:add": {
            "partner": partner.pk,
            "occurred_on": "2024-10-01",
            "channel": "call",
            "summary": "Planned the fall resource fair.",
            "follow_up_on": "2024-10-15",
        },
        "crm_funding:add": {
            "source": "Ballmer Group",
            "partner": partner.pk,
            "amount": "25000",
            "fiscal_year": "2025",
        },
        "crm_district:add": {
            "cds_code": "19647330000000",
            "name": "Los Angeles Unified",
            "status": "Active",
        },
        "crm_school:add": {
            "cds_code": "19647331930007",
            "district": world.east.pk,
            "name": "Belmont Senior High",
            "status": "Active",
        },
        "crm_grant:add": {
            "school": world.garfield.pk,
            "grant_type": "implementation",
            "cohort": "2",
            "amount": "1000000",
            "start_date": "2023-07-01",
            "end_date": "2028-06-30",
            "status": "active",
        },
        "crm_servicecategory:add": {"slug": "food", "name": "Food", "name_es": "Comida"},
        "crm_equityfocusgroup:add": {"slug": "foster", "name": "Foster youth"},
    }


@pytest.mark.parametrize(
    ("url_name", "action", "persona"),
    [
        ("crm_contact:add", "contact.create", "pat"),
        ("crm_partnership:add", "partnership.create", "pat"),
        ("crm_touchpoint:add", "touchpoint.create", "cora"),
        ("crm_funding:add", "funding.create", "pat"),
        ("crm_district:add", "district.create", "ana"),
        ("crm_school:add", "school.create", "ana"),
        ("crm_grant:add", "grant.create", "ana"),
        ("crm_servicecategory:add", "servicecategory.create", "ana"),
        ("crm_equityfocusgroup:add", "equityfocusgroup.create", "ana"),
    ],
)
def test_add_form_saves_through_the_service(world, client, url_name, action, persona):
    partner = make_partner("Eastside Family Resource Center")
    user = getattr(world, persona)
    client.force_login(user)
    response = client.post(reverse(url_name), _data(world, partner)[url_name])
    assert response.status_code == 302, response.context["form"].errors
    # The world's districts and schools were made by commands; the admin's entry is the new one.
    entry = AuditEntry.objects.exclude(channel="command").get(action=action)
    assert (entry.actor, entry.channel) == (user, "admin")


def test_staff_profile_edit_assigns_schools_through_the_service(world, client):
    newcomer = make_user("nina")
    client.force_login(world.ana)
    profile = StaffProfile.objects.get(user=newcomer)
    response = client.post(
        reverse("crm_staffprofile:edit", args=[profile.pk]),
        {"slack_user_id": "U0NINA", "schools": [world.garfield.pk], "wants_digest": "on"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.slack_user_id == "U0NINA"
    assert list(profile.schools.all()) == [world.garfield]
    entry = AuditEntry.objects.get(action="staffprofile.update")
    assert entry.changes["schools"] == [[], [world.garfield.pk]]
    assert (entry.actor, entry.channel) == (world.ana, "admin")


def test_audit_trail_cannot_be_added_or_edited_even_by_a_superuser(world, client):
    make_partner("Eastside Family Resource Center")
    entry = AuditEntry.objects.first()
    client.force_login(world.sam)
    assert client.get(reverse("crm_auditentry:index")).status_code == 200
    for url in (
        reverse("crm_auditentry:add"),
        reverse("crm_auditentry:edit", args=[entry.pk]),
        reverse("crm_auditentry:delete", args=[entry.pk]),
    ):
        response = client.post(url, {"action": "forged"})
        assert response["Location"] == reverse("wagtailadmin_home")
    assert AuditEntry.objects.get(pk=entry.pk).action == "partner.create"


def test_refused_actions_are_refused_for_everyone_including_superusers(world):
    audit = policy_registry.get_by_type(AuditEntry)
    assert not audit.user_has_permission(world.sam, "change")
    assert list(audit.users_with_any_permission(["add", "change"])) == []
    assert world.ana in audit.users_with_any_permission(["view"])
    partners = policy_registry.get_by_type(Partner)
    assert not partners.user_has_permission(world.ana, "delete")
    assert partners.user_has_permission(world.pat, "change")
