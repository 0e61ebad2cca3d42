"""The dashboard panel: counts from aggregate queries, referral counts only for those allowed."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from crm.selectors.dashboard import dashboard_counts
from crm.services.activity import touchpoint_create
from tests.factories import (
    make_event,
    make_grant,
    make_partner,
    make_partnership,
    make_referral,
)

TODAY = dt.date(2025, 3, 1)  # FY 2024-25


@pytest.fixture
def activity(world):
    live = make_partner("Eastside Family Resource Center", published=True)
    make_partner("Westside Youth League", status="inactive")
    make_partnership(live, strategic=True, start_date=dt.date(2024, 9, 1))
    make_partnership(
        live, strategic=True, start_date=dt.date(2023, 9, 1), end_date=dt.date(2024, 1, 1)
    )
    make_partnership(live, strategic=False, start_date=dt.date(2024, 9, 1))
    make_grant(world.roosevelt, start_date=dt.date(2022, 7, 1), end_date=dt.date(2027, 6, 30))
    make_grant(world.roosevelt, start_date=dt.date(2024, 7, 1), end_date=dt.date(2025, 6, 30))
    make_grant(world.garfield, start_date=dt.date(2019, 7, 1), end_date=dt.date(2022, 6, 30))
    make_event(world.roosevelt, date=dt.date(2024, 10, 1), participants=40)
    make_event(world.garfield, date=dt.date(2025, 2, 1), participants=12)
    make_event(world.garfield, date=dt.date(2024, 5, 1), participants=99)
    make_referral(world.roosevelt, live)
    make_referral(world.garfield, live)
    make_referral(world.garfield, live)
    for follow_up in (dt.date(2025, 2, 20), dt.date(2025, 4, 1)):
        touchpoint_create(
            partner=live,
            occurred_on=dt.date(2025, 2, 1),
            channel="call",
            summary="Talked about the spring fair.",
            follow_up_on=follow_up,
            actor=world.pat,
            source="admin",
        )
    return world


def test_counts_for_an_administrator(activity, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        counts = dashboard_counts(user=activity.ana, today=TODAY)
    assert counts.fiscal_year == 2025
    assert (counts.live_partners, counts.published_partners) == (1, 1)
    assert counts.strategic_partnerships == 1
    assert counts.ccspp_schools == 1
    assert (counts.events, counts.participants) == (2, 52)
    assert counts.follow_ups_due == 0
    assert counts.open_referrals == 3


@pytest.mark.parametrize(
    ("persona", "open_referrals", "follow_ups"),
    [("cora", 1, 0), ("omar", 2, 0), ("lee", None, 0), ("pat", None, 1)],
)
def test_referral_counts_are_scoped_and_follow_ups_are_the_users_own(
    activity, persona, open_referrals, follow_ups
):
    counts = dashboard_counts(user=getattr(activity, persona), today=TODAY)
    assert counts.open_referrals == open_referrals
    assert counts.follow_ups_due == follow_ups


@pytest.mark.parametrize("persona", ["ana", "pat", "cora", "omar", "lee", "sam"])
def test_every_role_gets_a_working_home_page_with_its_menus(activity, client, persona):
    client.force_login(getattr(activity, persona))
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-crm-dashboard" in html
    assert ('data-figure="open_referrals"' in html) == (persona in {"ana", "cora", "omar", "sam"})
    assert (reverse("crm_partner:index") in html) is True
    assert (reverse("crm_contact:index") in html) == (persona in {"ana", "pat", "lee", "sam"})
    assert (reverse("crm_auditentry:index") in html) == (persona in {"ana", "sam"})
