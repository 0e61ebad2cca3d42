"""`/partners` subcommands: parsing, help and errors, find, and the modals each one opens."""

from __future__ import annotations

import json

import pytest
import time_machine

from bots.command_line import plan_for
from bots.links import partner_admin_url, referrals_url
from tests.factories import make_partner


@pytest.mark.parametrize(
    "text, sub, fiscal_year, error",
    [
        ("", "help", None, ""),
        ("help", "help", None, ""),
        ("report 2024-25", "report", 2025, ""),
        ("report FY 2023-24", "report", 2024, ""),
        ("report 2025", "report", 2025, ""),
        ("report 2024-27", "report", None, "second year must follow"),
        ("report next year", "report", None, "not a fiscal year"),
        ("find", "find", None, "what to look for"),
        ("frobnicate", "frobnicate", None, "don't know `frobnicate`"),
    ],
)
def test_slack_plan_for(text, sub, fiscal_year, error):
    plan = plan_for(text)
    assert plan.sub == sub
    assert plan.fiscal_year == fiscal_year
    assert error in plan.error
    assert bool(plan.error) == bool(error)


@time_machine.travel("2025-03-01 12:00 -08:00")
def test_slack_report_fiscal_year_defaults_and_limits():
    assert plan_for("report").fiscal_year == 2024
    assert plan_for("report 2024-25").fiscal_year == 2025
    assert "has not started yet" in plan_for("report 2025-26").error


def test_slack_help(world, slack):
    response = slack.command("help")
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "/partners add" in body["text"] and "Log to partner" in body["text"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("frobnicate", "don't know `frobnicate`"),
        ("find   ", "what to look for"),
        ("report 20x5", "is not a fiscal year"),
    ],
)
def test_slack_bad_arguments_get_helpful_errors(world, slack, text, expected):
    body = slack.command(text).json()
    assert body["response_type"] == "ephemeral"
    assert expected in body["text"]
    assert slack.stub.called("views.open") == []


def test_slack_find(world, slack):
    harbor = make_partner("Harbor Community Food Bank", website="harborfood.org")
    make_partner("Valley Youth Tutoring")
    body = slack.command("find harbor food bank").json()
    assert body["response_type"] == "ephemeral" and "Looking for" in body["text"]
    answer = slack.stub.called("/response/command")[0]["params"]
    assert answer["response_type"] == "ephemeral"
    found = json.dumps(answer["blocks"])
    assert "Harbor Community Food Bank" in found
    assert "Valley Youth" not in found
    assert partner_admin_url(harbor.pk) in found
    assert "score" in found and "active" in found


def test_slack_find_nothing(world, slack):
    slack.command("find zzzz qqqq")
    answer = slack.stub.called("/response/command")[0]["params"]
    assert "No partner matches" in json.dumps(answer["blocks"])


@pytest.mark.parametrize(
    "text, user, callback_id",
    [
        ("add", "U0PAT", "partner_add"),
        ("log", "U0PAT", "touchpoint_log"),
        ("log", "U0CORA", "touchpoint_log"),
        ("event", "U0CORA", "event_record"),
    ],
)
def test_slack_commands_open_their_modal(world, slack, text, user, callback_id):
    response = slack.command(text, user=user)
    assert response.status_code == 200
    opened = slack.stub.called("views.open")
    assert len(opened) == 1
    view = opened[0]["params"]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == callback_id
    assert opened[0]["params"]["trigger_id"] == "111.222.trigger"


def test_slack_event_modal_lists_only_the_coordinators_schools(world, slack):
    slack.command("event", user="U0CORA")
    view = slack.stub.called("views.open")[0]["params"]["view"]
    text = json.dumps(view)
    assert "Roosevelt High" in text and "Garfield" not in text


@pytest.mark.parametrize(
    "text, user",
    [("event", "U0PAT"), ("add", "U0CORA"), ("report 2024-25", "U0PAT")],
)
def test_slack_role_rules_refuse_politely(world, slack, text, user):
    body = slack.command(text, user=user).json()
    assert "your role does not allow" in body["text"]
    assert slack.stub.called("views.open") == []
    assert slack.stub.called("chat.postMessage") == []


def test_slack_referrals_reply_is_ephemeral_links_only(world, slack):
    from tests.factories import make_referral

    referral = make_referral(world.roosevelt, make_partner("Harbor Community Food Bank"))
    body = slack.command("referrals", user="U0CORA").json()
    assert body["response_type"] == "ephemeral"
    assert referrals_url(world.roosevelt.pk) in body["text"]
    assert "Garfield" not in body["text"]
    assert referral.student_ref not in body["text"]
    assert "Harbor" not in body["text"]
    assert slack.stub.called("chat.postMessage") == []


def test_slack_referrals_refused_for_partnership_staff(world, slack):
    body = slack.command("referrals", user="U0PAT").json()
    assert "your role does not allow" in body["text"]


def test_slack_links_are_absolute_admin_urls(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://pb.example.org/"
    assert partner_admin_url(7).startswith("https://pb.example.org/admin/")
    assert partner_admin_url(7).endswith("/edit/7/")
    assert referrals_url(3).endswith("?school=3")
