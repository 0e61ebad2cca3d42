"""Refusals: forged or stale requests, unknown people and other workspaces write nothing."""

from __future__ import annotations

import time

import pytest

from bots.models import ProcessedRequest
from crm.models import AuditEntry, Partner, StaffProfile, Touchpoint
from tests.bots.slack_support import TEAM, plain, select, sign


def counts():
    return (
        Partner.objects.count(),
        Touchpoint.objects.count(),
        AuditEntry.objects.count(),
        ProcessedRequest.objects.count(),
    )


def add_submission(slack, **kwargs):
    return slack.submission(
        "partner_add",
        {
            "organization": select("new:Harbor Food Bank", "external_select"),
            "kind": select("nonprofit"),
            "agreement": select("informal"),
            "note": plain("Met at the resource fair."),
        },
        **kwargs,
    )


@pytest.mark.parametrize(
    "case, status",
    [
        ("forged", 401),
        ("tampered", 401),
        ("old", 401),
        ("future", 401),
        ("non_numeric", 400),
        ("missing_timestamp", 400),
        ("missing_signature", 401),
    ],
)
def test_slack_refuses_bad_signatures(world, slack, case, status):
    body = slack.payload_body(add_submission(slack))
    now = str(int(time.time()))
    before = counts()
    if case == "forged":
        response = slack.post(body, signature=sign(body, now, secret="not-the-secret"))
    elif case == "tampered":
        signature = sign(body, now)
        response = slack.post(body.replace("Harbor", "Hacker"), timestamp=now, signature=signature)
    elif case in {"old", "future"}:
        # A minute beyond Slack's five-minute window: at 301 s, a request handled a second later
        # on a loaded machine fell inside it.
        shifted = str(int(time.time()) + (-360 if case == "old" else 360))
        response = slack.post(body, timestamp=shifted, signature=sign(body, shifted))
    elif case == "non_numeric":
        response = slack.post(body, timestamp="12ab", signature=sign(body, "12ab"))
    elif case == "missing_timestamp":
        response = slack.post(body, timestamp="", signature=sign(body, ""))
    else:
        response = slack.post(body, signature="")
    assert response.status_code == status
    assert counts() == before
    assert slack.stub.calls == []


@pytest.mark.parametrize(
    "body",
    ["payload=%7Bnot+json", "payload=%5B1%2C2%5D", "payload=%22text%22"],
    ids=["not-json", "json-list", "json-string"],
)
@pytest.mark.parametrize("signed", [True, False])
def test_slack_refuses_malformed_bodies(world, slack, body, signed):
    before = counts()
    now = str(int(time.time()))
    response = slack.post(body, timestamp=now, signature=sign(body, now) if signed else "v0=00")
    assert response.status_code == 400
    assert counts() == before


def test_slack_refuses_get(world, slack):
    assert slack.http.get("/slack/events").status_code == 405


def test_slack_refuses_unknown_user(world, slack):
    before = counts()
    response = slack.command("add", user="U0NOBODY")
    assert response.status_code == 200
    assert "don't know you" in response.json()["text"]
    assert response.json()["response_type"] == "ephemeral"
    response = slack.interact(add_submission(slack, user="U0NOBODY"))
    assert response.json()["response_action"] == "update"
    assert counts() == before
    assert not slack.stub.called("views.open")


def test_slack_refuses_other_workspace(world, slack):
    before = counts()
    response = slack.command("add", user="U0PAT", team="T0OTHER")
    assert "own Slack workspace" in response.json()["text"]
    response = slack.interact(add_submission(slack, team="T0OTHER"))
    assert "own Slack workspace" in str(response.json())
    assert counts() == before
    assert not slack.stub.called("users.info")


def _slack_user(email, *, confirmed=True, deleted=False):
    return {
        "id": "U0ANA",
        "team_id": TEAM,
        "deleted": deleted,
        "is_bot": False,
        "is_email_confirmed": confirmed,
        "profile": {"email": email},
    }


def test_slack_maps_user_by_verified_email_once(world, slack):
    slack.stub.users["U0ANA"] = _slack_user("ANA@example.org")
    assert slack.command("help", user="U0ANA").status_code == 200
    assert StaffProfile.objects.get(user=world.ana).slack_user_id == "U0ANA"
    slack.command("help", user="U0ANA")
    assert len(slack.stub.called("users.info")) == 1


@pytest.mark.parametrize(
    "slack_user",
    [
        _slack_user("ana@example.org", confirmed=False),
        _slack_user("ana@example.org", deleted=True),
        _slack_user("stranger@example.org"),
    ],
    ids=["unverified-email", "deactivated-in-slack", "no-such-staff"],
)
def test_slack_refuses_unverifiable_users(world, slack, slack_user):
    slack.stub.users["U0ANA"] = slack_user
    response = slack.command("add", user="U0ANA")
    assert "don't know you" in response.json()["text"]
    assert StaffProfile.objects.get(user=world.ana).slack_user_id is None


def test_slack_refuses_deactivated_staff(world, slack):
    world.pat.is_active = False
    world.pat.save()
    before = counts()
    response = slack.interact(add_submission(slack))
    assert "not active" in str(response.json())
    assert counts() == before
