"""The partner page: readable fields, one timeline, quick actions, possible duplicates, referral
rows only for those allowed, and a query count that does not grow with the partner's history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_contact,
    make_event,
    make_partner,
    make_partnership,
    make_referral,
    make_touchpoint,
)


@pytest.fixture
def club(world):
    club = make_partner("Boys & Girls Club of Watts", aliases=["BGC Watts"])
    make_partner("Boys and Girls Club Watts Inc")
    make_contact(club, name="Rosa Diaz", role="Director")
    make_touchpoint(club, summary="Planned the summer camp")
    make_partnership(club, start_date=dt.date(2024, 9, 1), end_date=dt.date(2025, 6, 30))
    make_event(world.roosevelt, title="Family Night", partners=[club])
    make_referral(world.roosevelt, club, student_ref="ROOS-5555")
    return club


def _page(client, user, partner):
    client.force_login(user)
    response = client.get(reverse("crm_partner:inspect", args=[partner.pk]))
    assert response.status_code == 200
    return response


def test_the_page_tells_the_whole_story(client, world, club):
    response = _page(client, world.ana, club)
    html = response.content.decode()
    assert "BGC Watts" in html and "[&#x27;BGC Watts&#x27;]" not in html
    assert "None" not in html.split("pb-details", 1)[1].split("</section>", 1)[0]
    kinds = [moment.kind for moment, _ in response.context["timeline"]]
    for kind in ("Touchpoint", "Event", "Partnership starts", "Partnership ends", "Referral"):
        assert kind in kinds
    assert "Rosa Diaz" in html
    names = [other.name for other, _, _ in response.context["possible_duplicates"]]
    assert "Boys and Girls Club Watts Inc" in names
    labels = [label for label, _ in response.context["quick_actions"]]
    assert labels == [
        "Add contact",
        "Log touchpoint",
        "Start partnership",
        "Record follow-up",
        "Quick add",
    ]
    assert f"{reverse('crm_contact:add')}?partner={club.pk}" in html
    assert f"{reverse('crm_quick_add')}?partner={club.pk}" in html


@pytest.mark.parametrize("persona", ["pat", "lee", "omar"])
def test_referrals_stay_off_the_page_for_others(client, world, club, persona):
    response = _page(client, getattr(world, persona), club)
    kinds = {moment.kind for moment, _ in response.context["timeline"]}
    assert "Referral" not in kinds
    assert "ROOS-5555" not in response.content.decode()


def test_a_quick_action_opens_the_form_with_the_partner_chosen(client, world, club):
    client.force_login(world.pat)
    form = client.get(reverse("crm_touchpoint:add"), {"partner": club.pk}).context["form"]
    assert form["partner"].value() == club.pk


def test_the_page_does_not_query_per_record(client, world, club):
    def count():
        with CaptureQueriesContext(connection) as captured:
            _page(client, world.ana, club)
        return len(captured)

    count()  # the first request also fills per-process caches (permissions, the matcher index)
    few = count()
    for n in range(5):
        make_touchpoint(club, summary=f"Call {n}")
        make_event(world.roosevelt, title=f"Workshop {n}", partners=[club])
        make_referral(world.roosevelt, club)
        make_partnership(club, start_date=dt.date(2023, 1, n + 1))
        make_contact(club, name=f"Contact {n}")
    assert count() <= few
