"""Admin forms write through the services: audit with channel "admin", duplicates, refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from crm.models import AuditEntry, Contact, Partner, Partnership
from tests.factories import make_contact, make_partner, make_partnership

PARTNER_POST = {
    "name": "Eastside Family Resource Center",
    "aliases": "EFRC\nEastside FRC",
    "kind": "nonprofit",
    "status": "active",
    "website": "https://efrc.example.org",
    "ein": "",
    "phone": "",
    "street": "",
    "city": "Los Angeles",
    "zip": "",
    "description": "",
    "description_es": "",
    "public_email": "",
    "public_phone": "",
    "internal_notes": "",
}


def _login(client, user):
    client.force_login(user)
    return client


def test_admin_create_partner_goes_through_the_service(world, client):
    response = _login(client, world.pat).post(reverse("crm_partner:add"), PARTNER_POST)
    assert response.status_code == 302
    partner = Partner.objects.get(name=PARTNER_POST["name"])
    assert partner.aliases == ["EFRC", "Eastside FRC"]
    assert partner.created_by == world.pat
    entry = AuditEntry.objects.get(action="partner.create", object_id=str(partner.pk))
    assert (entry.actor, entry.channel) == (world.pat, "admin")


def test_admin_edit_partner_audits_the_change(world, client):
    partner = make_partner("Eastside Family Resource Center", city="Pasadena")
    data = {**PARTNER_POST, "city": "Los Angeles"}
    response = _login(client, world.ana).post(reverse("crm_partner:edit", args=[partner.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="partner.update", object_id=str(partner.pk))
    assert (entry.actor, entry.channel) == (world.ana, "admin")
    assert entry.changes["city"] == ["Pasadena", "Los Angeles"]


def test_likely_duplicate_is_shown_with_both_choices(world, client):
    existing = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    data = {
        **PARTNER_POST,
        "name": "Boys and Girls Club of Pasadena Inc",
        "aliases": "",
        "website": "https://bgcpasadena.org",
    }
    response = _login(client, world.pat).post(reverse("crm_partner:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Boys &amp; Girls Club of Pasadena" in html
    assert reverse("crm_partner:inspect", args=[existing.pk]) in html
    assert reverse("crm_partner:use_existing", args=[existing.pk]) in html
    assert 'name="create_anyway" value="1"' in html
    assert "likely duplicate" in html
    assert Partner.objects.count() == 1

    response = client.post(reverse("crm_partner:add"), {**data, "create_anyway": "1"})
    assert response.status_code == 302
    created = Partner.objects.exclude(pk=existing.pk).get()
    entry = AuditEntry.objects.get(action="partner.create", object_id=str(created.pk))
    assert entry.changes["created_anyway_over"][0]["id"] == existing.pk
    assert entry.channel == "admin"


def test_use_existing_records_the_choice_and_opens_that_partner(world, client):
    existing = make_partner("Boys & Girls Club of Pasadena")
    response = _login(client, world.pat).post(
        reverse("crm_partner:use_existing", args=[existing.pk]),
        {"name": "Boys and Girls Club of Pasadena Inc"},
    )
    assert response["Location"] == reverse("crm_partner:edit", args=[existing.pk])
    entry = AuditEntry.objects.get(action="partner.use_existing")
    assert (entry.actor, entry.channel) == (world.pat, "admin")
    assert entry.changes["typed_name"] == "Boys and Girls Club of Pasadena Inc"
    assert existing.pk in entry.changes["offered"]
    assert Partner.objects.count() == 1


@pytest.mark.parametrize("persona", ["lee", "cora"])
def test_roles_without_add_permission_cannot_create_partners(world, client, persona):
    response = _login(client, getattr(world, persona)).post(
        reverse("crm_partner:add"), PARTNER_POST
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not Partner.objects.exists()
    assert not AuditEntry.objects.filter(action="partner.create").exists()


@pytest.mark.parametrize("persona", ["cora", "omar"])
def test_coordinators_cannot_list_contacts(world, client, persona):
    make_contact(make_partner("Eastside Family Resource Center"))
    response = _login(client, getattr(world, persona)).get(reverse("crm_contact:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        (ValidationError({"name": "That name is reserved."}), "That name is reserved."),
        (ValidationError("Something else is wrong."), "Something else is wrong."),
        (PermissionDenied("Not for you."), "Not for you."),
    ],
)
def test_service_refusals_show_as_form_errors(world, client, monkeypatch, refusal, message):
    def refuse(**kwargs):
        raise refusal

    monkeypatch.setattr("crm.admin.partner_forms.partner_create", refuse)
    response = _login(client, world.pat).post(reverse("crm_partner:add"), PARTNER_POST)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Partner.objects.exists()


def test_model_rule_shows_as_form_error_and_saves_nothing(world, client):
    partner = make_partner("Eastside Family Resource Center")
    data = {"partner": partner.pk, "title": "Spring", "scope": "countywide", "status": "active"}
    data |= {"start_date": "2025-03-01", "end_date": "2025-01-01", "agreement_type": "mou"}
    response = _login(client, world.pat).post(reverse("crm_partnership:add"), data)
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Partnership.objects.exists()


def test_contact_edit_records_what_changed(world, client):
    contact = make_contact(make_partner("Eastside Family Resource Center"), role="Director")
    data = {
        "name": contact.name,
        "role": "Executive director",
        "email": "",
        "phone": "",
        "notes": "",
    }
    response = _login(client, world.pat).post(reverse("crm_contact:edit", args=[contact.pk]), data)
    assert response.status_code == 302
    assert Contact.objects.get().role == "Executive director"
    entry = AuditEntry.objects.get(action="contact.update")
    assert entry.changes == {"role": ["Director", "Executive director"]}
    assert entry.channel == "admin"


def test_merged_partner_is_read_only_with_a_link_to_the_survivor(world, client):
    survivor = make_partner("Eastside Family Resource Center")
    loser = make_partner("Eastside FRC")
    # The merge service belongs to the dedup area; only its outcome matters here.
    Partner.objects.filter(pk=loser.pk).update(merged_into=survivor, status="merged")
    client = _login(client, world.ana)
    response = client.post(reverse("crm_partner:edit", args=[loser.pk]), PARTNER_POST)
    assert response["Location"] == reverse("crm_partner:inspect", args=[loser.pk])
    assert Partner.objects.get(pk=loser.pk).name == "Eastside FRC"
    page = client.get(response["Location"]).content.decode()
    assert reverse("crm_partner:inspect", args=[survivor.pk]) in page
    assert "was merged into" in page


def test_partner_list_has_no_delete_and_partnerships_follow_roles(world, client):
    partner = make_partner("Eastside Family Resource Center")
    make_partnership(partner)
    client = _login(client, world.ana)
    response = client.post(reverse("crm_partner:delete", args=[partner.pk]))
    assert response.status_code == 302
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert client.get(reverse("crm_partnership:index")).status_code == 200
