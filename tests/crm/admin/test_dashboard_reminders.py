"""The dashboard's reminders: follow-ups by when due, partnerships ending (yours first),
agreements expiring, each counted in its heading and linked to the list filtered to it; and
the school pickers administrators get on event and referral forms."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from crm.admin.choosers import AutocompleteWidget
from crm.selectors.reminders import (
    partnerships_ending,
    referral_due_counts,
    touchpoint_due_counts,
)
from crm.services.activity import touchpoint_update
from tests.factories import make_partner, make_partnership, make_referral, make_touchpoint

TODAY = dt.date(2025, 3, 10)
NOON = dt.datetime(2025, 3, 10, 19, tzinfo=dt.UTC)  # noon in Los Angeles


@pytest.fixture
def due(world):
    partner = make_partner("Harbor Food Bank")
    for days in (-3, -1, 0, 2, 7, 8):
        tp = make_touchpoint(partner, follow_up_on=TODAY + dt.timedelta(days=days))
        touchpoint_update(touchpoint=tp, data={"staff": world.pat}, actor=None, source="command")
    for days in (-2, 0, 3):
        make_referral(
            world.roosevelt,
            partner,
            referred_on=dt.date(2025, 1, 2),
            follow_up_on=TODAY + dt.timedelta(days=days),
        )
    make_referral(world.garfield, partner, referred_on=dt.date(2025, 1, 2), follow_up_on=TODAY)
    mine = make_partnership(
        partner, title="Pantry", lead_staff=world.pat, end_date=TODAY + dt.timedelta(50)
    )
    make_partnership(partner, title="Tutoring", end_date=TODAY + dt.timedelta(20))
    make_partnership(partner, title="Later", end_date=TODAY + dt.timedelta(90))
    return mine


def test_follow_ups_fall_into_overdue_today_and_this_week(world, due):
    counts = touchpoint_due_counts(world.pat, today=TODAY)
    assert (counts.overdue, counts.today, counts.week) == (2, 1, 2)
    assert touchpoint_due_counts(world.cora, today=TODAY) is not None
    assert touchpoint_due_counts(world.cora, today=TODAY).total == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("cora", (1, 1, 1)), ("omar", (0, 1, 0)), ("ana", (1, 2, 1)), ("pat", None), ("lee", None)],
)
def test_referral_follow_ups_are_counted_only_within_scope(world, due, persona, expected):
    counts = referral_due_counts(getattr(world, persona), today=TODAY)
    assert (counts and (counts.overdue, counts.today, counts.week)) == expected


def test_partnerships_ending_list_yours_first(world, due):
    ending = partnerships_ending(world.pat, today=TODAY)
    assert [p.title for p in ending.mine] == ["Pantry"]
    assert [p.title for p in ending.others] == ["Tutoring"]
    assert partnerships_ending(world.cora, today=TODAY) is None


def test_the_panels_show_counts_and_link_to_filtered_lists(world, due, client):
    client.force_login(world.pat)
    with time_machine.travel(NOON):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Follow-ups due: 2 overdue · 1 today · 2 this week" in html
        assert "Partnerships ending within 60 days (1 yours, 1 others)" in html
        overdue = f"{reverse('crm_touchpoint:index')}?mine=true&amp;follow_up_done=false"
        assert f"{overdue}&amp;follow_up_on_to=2025-03-09" in html
        listed = client.get(
            reverse("crm_touchpoint:index"),
            {"mine": "true", "follow_up_done": "false", "follow_up_on_to": "2025-03-09"},
        )
        assert len(listed.context["object_list"]) == 2
        ending = client.get(
            reverse("crm_partnership:index"),
            {"mine": "true", "end_date_from": "2025-03-10", "end_date_to": "2025-05-09"},
        )
        assert [p.title for p in ending.context["object_list"]] == ["Pantry"]
    assert "Referral follow-ups" not in html


def test_a_coordinator_sees_her_schools_referral_follow_ups(world, due, client):
    client.force_login(world.cora)
    with time_machine.travel(NOON):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        listed = client.get(
            reverse("referral:index"),
            {"open": "true", "follow_up_on_from": "2025-03-10", "follow_up_on_to": "2025-03-10"},
        )
    assert "Referral follow-ups today: <strong>1</strong>" in html
    assert "Partnerships ending" not in html
    assert {r.school_id for r in listed.context["object_list"]} == {world.roosevelt.pk}


@pytest.mark.parametrize("url_name", ["event:add", "referral:add"])
def test_administrators_pick_a_school_by_typing_coordinators_from_their_own(
    world, client, url_name
):
    client.force_login(world.ana)
    field = client.get(reverse(url_name)).context["form"].fields["school"]
    assert isinstance(field.widget, AutocompleteWidget) and field.queryset.count() == 2
    client.force_login(world.cora)
    field = client.get(reverse(url_name)).context["form"].fields["school"]
    assert not isinstance(field.widget, AutocompleteWidget)
    assert list(field.queryset) == [world.roosevelt]
