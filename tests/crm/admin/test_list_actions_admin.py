"""The lists' bulk actions and saved views as people use them in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.admin.events import EventFilterSet
from crm.admin.partners import PartnerFilterSet, PartnershipFilterSet, TouchpointFilterSet
from crm.admin.referrals import ReferralFilterSet
from crm.models import Partner, SavedView
from crm.selectors.saved_views import LISTS
from crm.services.saved_views import saved_view_save
from tests.factories import make_event, make_merged, make_partner, make_referral
from tests.hostile import NAMES, assert_html_safe


def _bulk(model: str, action: str, *records) -> str:
    ids = "&".join(f"id={r.pk}" for r in records)
    return reverse("wagtail_bulk_action", args=["crm", model, action]) + "?" + ids


@pytest.mark.parametrize(
    ("key", "filterset"),
    [
        ("partners", PartnerFilterSet),
        ("partnerships", PartnershipFilterSet),
        ("touchpoints", TouchpointFilterSet),
        ("events", EventFilterSet),
        ("referrals", ReferralFilterSet),
    ],
)
def test_saved_view_parameters_are_the_lists_filters(key, filterset):
    assert LISTS[key].filters == set(filterset.base_filters)


def test_partner_list_offers_the_bulk_actions_to_staff_only(world, client):
    make_partner("Alpha Aid")
    client.force_login(world.pat)
    page = client.get(reverse("crm_partner:index")).content.decode()
    assert "bulk-action-checkbox" in page
    assert reverse("wagtail_bulk_action", args=["crm", "partner", "unpublish"]) in page
    client.force_login(world.cora)
    page = client.get(reverse("crm_partner:index")).content.decode()
    assert "bulk-action-checkbox" not in page


def test_unpublish_confirms_then_writes(world, client):
    a = make_partner("Alpha Aid", published=True)
    b = make_partner("Beta Books", published=True)
    client.force_login(world.pat)
    url = _bulk("partner", "unpublish", a, b) + "&next=" + reverse("crm_partner:index")

    confirm = client.get(url).content.decode()
    assert "Alpha Aid" in confirm and "Beta Books" in confirm and "Yes, go ahead" in confirm
    assert Partner.objects.filter(published=True).count() == 2

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("crm_partner:index")
    assert not Partner.objects.filter(published=True).exists()


def test_a_selection_with_a_refused_record_is_refused_whole(world, client):
    live = make_partner("Live Org")
    merged = make_merged(make_partner("Merged Org"), make_partner("Survivor Org"))
    client.force_login(world.ana)
    url = _bulk("partner", "publish", live, merged)

    confirm = client.get(url).content.decode()
    assert "nothing will be changed" in confirm and "Yes, go ahead" not in confirm
    response = client.post(url)
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert not Partner.objects.filter(published=True).exists()


def test_assign_lead_staff_form(world, client):
    from tests.factories import make_partnership

    partnership = make_partnership(make_partner("Alpha Aid"))
    client.force_login(world.ana)
    url = _bulk("partnership", "assign_lead", partnership)
    assert 'name="lead_staff"' in client.get(url).content.decode()
    assert client.post(url, {"lead_staff": world.pat.pk}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.lead_staff == world.pat


def test_junk_ids_are_ignored_not_a_server_error(world, client):
    client.force_login(world.ana)
    url = reverse("wagtail_bulk_action", args=["crm", "partner", "publish"]) + "?id=x&id=all"
    response = client.get(url)
    assert response.status_code == 200
    assert "No records were selected" in response.content.decode()


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_on_the_confirmation_and_saved_views_are_escaped(world, client, name):
    partner = make_partner(name)
    client.force_login(world.pat)
    assert_html_safe(client.get(_bulk("partner", "unpublish", partner)).content.decode())
    try:
        saved_view_save(
            list_key="partners", name=name, query="q=x", actor=world.pat, source="admin"
        )
    except Exception:  # noqa: BLE001 - refused names are the service test's business
        return
    page = client.get(reverse("crm_partner:index")).content.decode()
    assert_html_safe(page)


def test_save_a_view_from_the_list_and_see_it_as_a_link(world, client):
    client.force_login(world.pat)
    response = client.post(
        reverse("crm_saved_view_save"),
        {"list_key": "partners", "name": "Published", "query": "published=true&p=2"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("crm_partner:index") + "?published=true"
    page = client.get(reverse("crm_partner:index")).content.decode()
    assert 'href="/admin/crm/partners/?published=true"' in page


def test_a_refused_query_is_reported_not_saved(world, client):
    client.force_login(world.pat)
    response = client.post(
        reverse("crm_saved_view_save"),
        {"list_key": "partners", "name": "x", "query": "next=https://evil.example"},
        follow=True,
    )
    assert "no filter called" in response.content.decode()
    assert not SavedView.objects.exists()


def test_only_the_owner_sees_and_changes_her_views(world, client):
    view = saved_view_save(
        list_key="events",
        name="Cora's workshops",
        query="kind=workshop",
        actor=world.cora,
        source="admin",
    )
    client.force_login(world.omar)
    assert "Cora&#x27;s workshops" not in client.get(reverse("event:index")).content.decode()
    assert client.post(reverse("crm_saved_view_delete", args=[view.pk])).status_code == 404
    assert (
        client.post(reverse("crm_saved_view_rename", args=[view.pk]), {"name": "Mine"}).status_code
        == 404
    )
    client.force_login(world.cora)
    assert "Cora&#x27;s workshops" in client.get(reverse("event:index")).content.decode()
    client.post(reverse("crm_saved_view_rename", args=[view.pk]), {"name": "Workshops"})
    assert SavedView.objects.get().name == "Workshops"
    client.post(reverse("crm_saved_view_delete", args=[view.pk]))
    assert not SavedView.objects.exists()


def test_a_saved_referral_view_never_widens_scope(world, client):
    partner = make_partner("Alpha Aid")
    make_referral(world.roosevelt, partner, student_ref="RH-0001")
    make_referral(world.garfield, partner, student_ref="GE-0002")
    # Omar saves a view filtered to Roosevelt, a school that is not his.
    saved_view_save(
        list_key="referrals",
        name="Roosevelt",
        query=f"school={world.roosevelt.pk}",
        actor=world.omar,
        source="admin",
    )
    client.force_login(world.omar)
    response = client.get(reverse("referral:index") + f"?school={world.roosevelt.pk}")
    assert "RH-0001" not in response.content.decode()
    response = client.get(reverse("referral:index"))
    assert "GE-0002" in response.content.decode() and "RH-0001" not in response.content.decode()


def test_events_list_shows_saved_views_panel(world, client):
    make_event(world.roosevelt)
    client.force_login(world.cora)
    page = client.get(reverse("event:index")).content.decode()
    assert "My saved views" in page and 'name="list_key" value="events"' in page
