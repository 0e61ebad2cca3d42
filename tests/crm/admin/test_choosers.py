"""Autocomplete pickers: what each endpoint offers (live partners only, found through the
matcher; schools; districts), who may ask, and forms that render chips instead of selects."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.models import Partner
from tests.factories import make_merged, make_partner, make_school
from tests.hostile import NAMES

pytestmark = pytest.mark.django_db


def _names(client, kind: str, q: str, **extra) -> list[str]:
    response = client.get(reverse(f"crm_choose_{kind}"), {"q": q, **extra})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_partners_are_found_through_the_matcher_and_live_only(world, client):
    club = make_partner("Boys & Girls Club of Watts")
    make_merged(make_partner("Boys and Girls Club Watts"), club)
    make_partner("Boys & Girls Club of Carson", status="inactive")
    client.force_login(world.cora)
    found = _names(client, "partners", "boys and girls watts")
    assert found[0] == "Boys & Girls Club of Watts"
    assert "Boys and Girls Club Watts" not in found
    assert "Boys & Girls Club of Carson" in _names(client, "partners", "boys girls")
    # Referral forms ask for active_only: an inactive partner is not offered there.
    assert "Boys & Girls Club of Carson" not in _names(client, "partners", "boys girls", active="1")


def test_schools_are_found_by_name_and_district(world, client):
    for n in range(30):
        make_school(district=world.east, name=f"Lincoln Elementary {n}")
    client.force_login(world.pat)
    assert _names(client, "schools", "roosevelt") == ["Roosevelt High (East Valley Unified)"]
    assert len(_names(client, "schools", "lincoln east valley")) == 10
    assert _names(client, "districts", "harbor") == ["West Harbor Unified"]


def test_one_letter_finds_nothing_yet(world, client):
    client.force_login(world.pat)
    assert _names(client, "schools", "r") == []


def test_pickers_answer_only_those_who_may_view(world, client):
    client.force_login(world.cora)
    refused = client.get(reverse("crm_choose_districts"), {"q": "harbor"})
    assert refused.status_code in (302, 403)
    assert "Harbor" not in refused.content.decode()
    client.logout()
    assert client.get(reverse("crm_choose_partners"), {"q": "harbor"}).status_code == 302


@pytest.mark.parametrize("name", NAMES[:2])
def test_hostile_names_travel_as_json_text_and_chips_escape_them(world, client, name):
    # The suggestions are JSON (staff.js writes them with textContent); a chip is escaped HTML.
    partner = make_partner(name)
    client.force_login(world.pat)
    response = client.get(reverse("crm_choose_partners"), {"q": name[:30]})
    assert response["Content-Type"] == "application/json"
    assert name in [row["name"] for row in response.json()["results"]]
    page = client.get(reverse("crm_contact:add"), {"partner": partner.pk}).content.decode()
    assert f'name="partner" value="{partner.pk}"' in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;" in page.split('class="pb-chip"')[1].split("</span>")[0]


def test_the_partner_form_has_pickers_not_thousands_of_options(world, client):
    partner = make_partner("Harbor Food Pantry", schools_served=[world.garfield])
    client.force_login(world.pat)
    page = client.get(reverse("crm_partner:edit", args=[partner.pk])).content.decode()
    assert 'name="schools_served"' in page
    assert f'<input type="hidden" name="schools_served" value="{world.garfield.pk}">' in page
    assert "Garfield Elementary (West Harbor Unified)" in page
    assert '<select name="schools_served"' not in page
    assert '<select name="districts_served"' not in page


def test_a_picker_choice_is_saved(world, client):
    partner = make_partner("Harbor Food Pantry")
    client.force_login(world.pat)
    response = client.post(
        reverse("crm_touchpoint:add"),
        {
            "partner": partner.pk,
            "occurred_on": "2026-01-05",
            "channel": "call",
            "summary": "Called about the spring pantry.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert partner.touchpoints.count() == 1


def test_a_merged_away_partner_cannot_be_posted(world, client):
    survivor = make_partner("Harbor Food Pantry")
    loser = make_merged(make_partner("Harbor Food Pantry Inc"), survivor)
    client.force_login(world.pat)
    response = client.post(
        reverse("crm_touchpoint:add"),
        {"partner": loser.pk, "occurred_on": "2026-01-05", "channel": "call", "summary": "x"},
    )
    assert response.status_code == 200
    assert not Partner.objects.get(pk=loser.pk).touchpoints.exists()


def test_the_referral_form_picks_only_active_live_partners(world, client):
    inactive = make_partner("Dormant Tutoring Org", status="inactive")
    client.force_login(world.cora)
    page = client.get(reverse("referral:add")).content.decode()
    assert f'data-suggest-url="{reverse("crm_choose_partners")}?active=1"' in page
    response = client.post(
        reverse("referral:add"),
        {
            "school": world.roosevelt.pk,
            "partner": inactive.pk,
            "student_ref": "ROOS-1234",
            "need_category": "academic",
            "referred_on": "2026-01-05",
            "contact_preference": "phone",
            "confirm_no_agreement": "on",
        },
    )
    assert response.status_code == 200
    assert not inactive.referrals.exists()
