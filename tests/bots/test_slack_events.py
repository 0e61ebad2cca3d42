"""`/partners event`: coordinators record events for their own schools only, once."""

from __future__ import annotations

import json

import pytest

from crm.models import Event
from tests.bots.slack_support import date, multi, number, plain, select
from tests.factories import make_partner


def event_form(school, **extra) -> dict:
    values: dict = {
        "school": select(str(school.pk)),
        "kind": select("distribution"),
        "title": plain("Backpack giveaway"),
        "date": date("2024-08-20"),
        "participants": number("120"),
        "items": number("300"),
        "partners": multi([]),
    }
    values.update(extra)
    return values


def test_slack_event_recorded(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    values = event_form(world.roosevelt, partners=multi([f"p:{harbor.pk}"]))
    body = slack.interact(slack.submission("event_record", values, user="U0CORA")).json()
    assert body["response_action"] == "update"
    assert "Event recorded at *Roosevelt High*" in json.dumps(body["view"])
    event = Event.objects.get()
    assert (event.participants, event.items_distributed) == (120, 300)
    assert list(event.partners.all()) == [harbor]
    assert event.recorded_by == world.cora


def test_slack_event_partner_typeahead_offers_no_create(world, slack):
    make_partner("Harbor Community Food Bank")
    payload = slack.suggestion("partner_multi", "harbor", callback_id="event_record")
    options = slack.interact(payload).json()["options"]
    assert [o["value"][:2] for o in options] == ["p:"]


def test_slack_event_for_another_school_is_refused(world, slack):
    body = slack.interact(
        slack.submission("event_record", event_form(world.garfield), user="U0CORA")
    ).json()
    assert body["response_action"] == "errors"
    assert "schools you are assigned to" in body["errors"]["school"]
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "extra, block",
    [
        ({"participants": number("-3")}, "participants"),
        ({"items": number("lots")}, "items"),
        ({"date": date(None)}, "date"),
        ({"kind": select("party")}, "kind"),
    ],
)
def test_slack_event_bad_form(world, slack, extra, block):
    values = event_form(world.roosevelt, **extra)
    body = slack.interact(slack.submission("event_record", values, user="U0CORA")).json()
    assert body["response_action"] == "errors" and block in body["errors"]
    assert Event.objects.count() == 0


def test_slack_event_double_submit_writes_once(world, slack):
    payload = slack.submission("event_record", event_form(world.roosevelt), user="U0CORA")
    slack.interact(payload)
    slack.interact(payload, headers={"X-Slack-Retry-Num": "1"})
    assert Event.objects.count() == 1
