"""Quick add (crm/admin/quick_add.py): one form for a partner, a contact, a partnership and its
first touchpoint, through partnership_log_from_intake; each outcome and bad input."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from crm.models import AuditEntry, Contact, DuplicateCandidate, Partner, Partnership, Touchpoint
from tests.crm.services.test_intake import counts
from tests.factories import make_partner, make_partnership
from tests.hostile import NAMES, assert_html_safe

URL = "/admin/quick-add/"
FORM = {
    "name": "Harbor Community Food Bank",
    "kind": "nonprofit",
    "contact_name": "Maria Lopez",
    "contact_role": "Director",
    "contact_email": "maria@harborfood.org",
    "contact_phone": "",
    "strategic": "on",
    "agreement_type": "mou",
    "channel": "meeting",
    "occurred_on": "2025-03-03",
    "notes": "Met at the spring resource fair.",
}


@pytest.fixture
def pat(world, client):
    client.force_login(world.pat)
    return client


def menu_labels(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


def existing():
    return make_partner("Harbor Community Food Bank", website="https://harborfood.org")


def test_url_and_menu_item(world, pat):
    assert reverse("crm_quick_add") == URL
    response = pat.get(URL)
    page = response.content.decode()
    assert 'id="pb-quick-add"' in page and 'name="occurred_on"' in page
    assert response.context["breadcrumbs_items"][-1]["label"] == "Quick add"
    assert "Quick add" in menu_labels(world.pat) and "Quick add" in menu_labels(world.ana)


@pytest.mark.parametrize("persona", ["cora", "lee"])
def test_other_roles_get_neither_the_page_nor_the_menu_item(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code in {302, 403}
    assert client.post(URL, FORM).status_code in {302, 403}
    assert "Quick add" not in menu_labels(getattr(world, persona))
    assert counts() == (0, 0, 0, 0)


def test_new_partner_saved_whole_and_opens_its_page(world, pat):
    response = pat.post(URL, FORM, follow=True)
    partner = Partner.objects.get()
    assert response.redirect_chain[-1][0] == reverse("crm_partner:inspect", args=[partner.pk])
    assert "Created partner Harbor Community Food Bank" in response.content.decode()
    partnership = Partnership.objects.get()
    assert partnership.strategic and partnership.agreement_type == "mou"
    assert partnership.lead_staff == world.pat
    contact = Contact.objects.get()
    assert (contact.name, contact.role, contact.partner) == ("Maria Lopez", "Director", partner)
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.channel, touchpoint.occurred_on.isoformat()) == ("meeting", "2025-03-03")
    channels = set(AuditEntry.objects.filter(actor=world.pat).values_list("channel", flat=True))
    assert channels == {"admin"}


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": ""}, "name", "Name the partner"),
        ({"contact_name": ""}, "contact_name", "contact&#x27;s name"),
        ({"contact_email": "not an email"}, "contact_email", "valid email"),
        ({"occurred_on": ""}, "occurred_on", "required"),
        ({"agreement_type": "handshake"}, "agreement_type", "valid choice"),
        ({"name": "", "partner": "999999"}, "partner", "Partner: That partner no longer exists"),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(world, pat, change, field, message):
    response = pat.post(URL, {**FORM, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert counts() == (0, 0, 0, 0)


def test_likely_duplicate_asks_did_you_mean_with_reasons(world, pat):
    harbor = existing()
    response = pat.post(URL, {**FORM, "name": "Harbor Community Foodbank"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Did you mean an existing partner?" in page
    assert "likely duplicate" in page
    assert f'name="use_partner" value="{harbor.pk}"' in page
    assert 'name="create_anyway" value="1"' in page
    assert counts() == (1, 0, 0, 0)


def test_use_this_partner_logs_with_it_and_records_the_choice(world, pat):
    harbor = existing()
    data = {**FORM, "name": "Harbor Community Foodbank", "use_partner": str(harbor.pk)}
    response = pat.post(URL, data)
    assert response.status_code == 302
    assert Partner.objects.count() == 1 and Partnership.objects.get().partner == harbor
    choice = AuditEntry.objects.get(action="partner.use_existing")
    assert choice.changes["typed_name"] == "Harbor Community Foodbank"


def test_create_anyway_queues_the_pair_for_review(world, pat):
    harbor = existing()
    response = pat.post(URL, {**FORM, "name": "Harbor Community Foodbank", "create_anyway": "1"})
    assert response.status_code == 302
    created = Partner.objects.exclude(pk=harbor.pk).get()
    pair = DuplicateCandidate.objects.get()
    assert {pair.left_id, pair.right_id} == {harbor.pk, created.pk}


def test_preselected_partner_with_the_same_partnership_offers_a_touchpoint(world, pat):
    harbor = existing()
    make_partnership(harbor, strategic=True, agreement_type="mou", lead_staff=world.ana)
    assert "Adding to" in pat.get(f"{URL}?partner={harbor.pk}").content.decode()
    data = {**FORM, "name": "", "partner": str(harbor.pk)}
    page = pat.post(URL, data).content.decode()
    assert "Already a partner" in page and "led by ana" in page
    assert f'name="log_instead" value="{harbor.pk}"' in page
    assert counts() == (1, 1, 0, 0)
    response = pat.post(URL, {**data, "log_instead": str(harbor.pk)}, follow=True)
    assert "Logged a touchpoint with Harbor Community Food Bank" in response.content.decode()
    assert counts() == (1, 1, 1, 1)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_are_shown_as_text(world, pat, name):
    make_partner(name)
    prompt = pat.post(URL, {**FORM, "name": name})
    assert prompt.context["duplicates"], "the same name must be offered"
    assert_html_safe(prompt.content.decode(), "duplicate prompt")
    saved = pat.post(URL, {**FORM, "name": name, "create_anyway": "1"}, follow=True)
    assert saved.status_code == 200 and Partner.objects.count() == 2
    assert_html_safe(saved.content.decode(), "saved message and partner page")


def test_end_to_end_typo_then_use_existing_then_partner_page(world, pat):
    """A person types a near-miss, is asked "Did you mean…?", picks the partner, lands on it."""
    harbor = existing()
    form = pat.get(URL).context["form"]
    data = {
        **{name: form[name].value() or "" for name in ("kind", "agreement_type", "channel")},
        "occurred_on": form["occurred_on"].value().isoformat(),
        "name": "harbor community foodbank",
        "contact_name": "Ray Chen",
        "notes": "Called about the summer meals program.",
    }
    prompt = pat.post(URL, data)
    assert prompt.context["duplicates"][0]["id"] == harbor.pk
    page = pat.post(URL, {**data, "use_partner": str(harbor.pk)}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("crm_partner:inspect", args=[harbor.pk])
    assert "Used existing partner Harbor Community Food Bank" in page.content.decode()
    assert Contact.objects.get().partner == harbor
    assert Touchpoint.objects.get().summary == "Called about the summer meals program."
    assert Partnership.objects.get().scope == "countywide"
