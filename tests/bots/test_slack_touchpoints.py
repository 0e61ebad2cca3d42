"""`/partners log` submissions and the "Log to partner" message shortcut."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crm.models import Touchpoint
from tests.bots.slack_support import date, plain, select
from tests.factories import make_partner

PERMALINK = "https://example.slack.com/archives/C0GEN/p1700000000000100"


def log_form(partner) -> dict:
    return {
        "partner": select(f"p:{partner.pk}" if partner else None, "external_select"),
        "occurred_on": date("2024-10-03"),
        "channel": select("meeting"),
        "summary": plain("Planned the spring family night."),
        "next_step": plain("Send the flyer"),
        "follow_up_on": date("2024-10-10"),
    }


def test_slack_log_touchpoint(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    response = slack.interact(slack.submission("touchpoint_log", log_form(harbor)))
    body = response.json()
    assert body["response_action"] == "update"
    assert "Touchpoint logged" in json.dumps(body["view"])
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.partner == harbor and touchpoint.staff == world.pat
    assert touchpoint.occurred_on == dt.date(2024, 10, 3)
    assert touchpoint.follow_up_on == dt.date(2024, 10, 10)
    assert touchpoint.next_step == "Send the flyer" and touchpoint.channel == "meeting"


def test_slack_log_follows_merged_partner(world, slack):
    survivor = make_partner("Harbor Community Food Bank")
    merged = make_partner("Harbor Food Bank (old)")
    merged.merged_into = survivor
    merged.save()
    slack.interact(slack.submission("touchpoint_log", log_form(merged)))
    assert Touchpoint.objects.get().partner == survivor


@pytest.mark.parametrize(
    "extra, block",
    [
        ({"partner": select(None, "external_select")}, "partner"),
        ({"partner": select("new:Someone", "external_select")}, "partner"),
        ({"summary": plain("   ")}, "summary"),
        ({"follow_up_on": date("2024-09-01")}, "follow_up_on"),
    ],
)
def test_slack_log_bad_form(world, slack, extra, block):
    harbor = make_partner("Harbor Community Food Bank")
    body = slack.interact(slack.submission("touchpoint_log", {**log_form(harbor), **extra})).json()
    assert body["response_action"] == "errors" and block in body["errors"]
    assert Touchpoint.objects.count() == 0


def test_slack_log_refused_for_leadership(world, slack):
    world.lee.staff_profile.slack_user_id = "U0LEE"
    world.lee.staff_profile.save()
    harbor = make_partner("Harbor Community Food Bank")
    body = slack.interact(slack.submission("touchpoint_log", log_form(harbor), user="U0LEE"))
    assert "your role does not allow" in json.dumps(body.json())
    assert Touchpoint.objects.count() == 0


@pytest.mark.parametrize("retry_header", [{}, {"X-Slack-Retry-Num": "1"}])
def test_slack_log_repeated_submission_writes_once(world, slack, retry_header):
    harbor = make_partner("Harbor Community Food Bank")
    payload = slack.submission("touchpoint_log", log_form(harbor))
    first = slack.interact(payload).json()
    second = slack.interact(payload, headers=retry_header).json()
    assert Touchpoint.objects.count() == 1
    assert first == second


def test_slack_shortcut_turns_a_message_into_a_touchpoint(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    response = slack.interact(slack.shortcut("Maria confirmed 40 backpacks for Roosevelt."))
    assert response.status_code == 200
    assert slack.stub.called("chat.getPermalink")[0]["params"]["message_ts"] == (
        "1700000000.000100"
    )
    opened = slack.stub.called("views.open")[0]["params"]
    view = opened["view"]
    assert opened["trigger_id"] == "777.888.trigger"
    assert "Maria confirmed 40 backpacks" in json.dumps(view)
    metadata = json.loads(view["private_metadata"])
    assert metadata["permalink"] == PERMALINK
    values = {**log_form(harbor), "summary": plain("Maria confirmed 40 backpacks for Roosevelt.")}
    slack.interact(slack.submission("touchpoint_log", values, view_id="V0SHORT", metadata=metadata))
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.slack_permalink == PERMALINK
    assert touchpoint.summary.startswith("Maria confirmed")


def test_slack_shortcut_refused_for_leadership(world, slack):
    world.lee.staff_profile.slack_user_id = "U0LEE"
    world.lee.staff_profile.save()
    slack.interact(slack.shortcut("Some message", user="U0LEE"))
    assert slack.stub.called("views.open") == []
    replies = slack.stub.called("/response/shortcut")
    assert "your role does not allow" in replies[0]["params"]["text"]
