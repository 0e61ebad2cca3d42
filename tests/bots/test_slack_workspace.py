"""The workspace allow-list by default: with SLACK_ALLOWED_TEAM_IDS empty only the installation's
own team (one auth.test, shared through Django's cache) is answered; other teams write nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from bots.identity import OTHER_WORKSPACE
from tests.bots.slack_support import SECRET, TEAM
from tests.bots.test_slack_security import add_submission, counts
from tests.bots.test_slack_touchpoints import log_form
from tests.factories import make_partner


@pytest.fixture
def default_allow_list(slack, settings):
    settings.SLACK_ALLOWED_TEAM_IDS = []
    cache.clear()
    yield slack
    cache.clear()


def test_other_team_is_refused_and_writes_nothing(world, default_allow_list):
    slack = default_allow_list
    harbor = make_partner("Harbor Food Bank")
    before = counts()
    response = slack.command("add", team="T0OTHER")
    assert response.status_code == 200
    assert response.json()["text"] == OTHER_WORKSPACE
    for payload in (
        add_submission(slack, team="T0OTHER"),
        slack.submission("touchpoint_log", log_form(harbor), team="T0OTHER"),
    ):
        response = slack.interact(payload)
        assert response.status_code == 200
        assert OTHER_WORKSPACE in str(response.json())
    assert slack.command("find Harbor", team="T0OTHER").json()["text"] == OTHER_WORKSPACE
    assert counts() == before
    assert not slack.stub.called("users.info")
    assert not slack.stub.called("views.open")


def test_own_team_is_answered_and_auth_test_runs_once(world, default_allow_list):
    from bots.slack_app import build_app, use_app

    slack = default_allow_list
    harbor = make_partner("Harbor Food Bank")
    assert "Partnerbase in Slack" in slack.command("help", team=TEAM).json()["text"]
    response = slack.interact(slack.submission("touchpoint_log", log_form(harbor), team=TEAM))
    assert response.status_code == 200
    assert harbor.touchpoints.count() == 1
    # A second process (a fresh app) finds the installation's team in the shared cache.
    use_app(build_app(token="xoxb-test", signing_secret=SECRET, client=slack.stub.client()))
    assert "Partnerbase in Slack" in slack.command("help", team=TEAM).json()["text"]
    assert slack.command("help", team="T0OTHER").json()["text"] == OTHER_WORKSPACE
    assert len(slack.stub.called("auth.test")) == 1


def test_configured_allow_list_wins_over_the_installation(world, slack, settings):
    settings.SLACK_ALLOWED_TEAM_IDS = ["T0PARTNER"]
    cache.clear()
    assert slack.command("help", team=TEAM).json()["text"] == OTHER_WORKSPACE
    assert "Partnerbase in Slack" in slack.command("help", team="T0PARTNER").json()["text"]
    assert len(slack.stub.called("auth.test")) <= 1  # the bot's own ids, cached
