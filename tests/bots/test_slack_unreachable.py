"""With Slack's Web API unreachable (the client points at a closed loopback port), help and
argument errors still answer, a command that needs the API says so briefly, and nothing 500s."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.core.cache import cache
from slack_sdk import WebClient

from bots.views import HELP
from bots.workspace import UNREACHABLE
from crm.models import Touchpoint
from tests.bots.slack_support import SECRET, TEAM
from tests.bots.test_slack_security import add_submission, counts


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def offline(slack, settings):
    """The bot with a Web API client that cannot connect; response_urls still reach the stub."""
    from bots.slack_app import build_app, use_app

    settings.SLACK_ALLOWED_TEAM_IDS = []
    cache.clear()
    client = WebClient(
        token="xoxb-test", base_url=f"http://127.0.0.1:{closed_port()}/api/", timeout=2
    )
    use_app(build_app(token="xoxb-test", signing_secret=SECRET, client=client))
    yield slack
    cache.clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", HELP),
        ("", HELP),
        ("frobnicate", "I don't know `frobnicate`"),
        ("find", "Tell me what to look for"),
        ("report 20x4", "For example: `/partners report 2024-25`"),
    ],
)
def test_help_and_argument_errors_answer_without_the_web_api(world, offline, text, expected):
    started = time.monotonic()
    response = offline.command(text, user="U0PAT")
    assert response.status_code == 200
    assert expected in response.json()["text"]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("user", ["U0PAT", "U0STRANGER"])
def test_a_command_that_needs_slack_says_it_cannot_reach_it(world, offline, caplog, user):
    before = counts()
    with caplog.at_level(logging.WARNING):
        response = offline.command("add", user=user)
        submitted = offline.interact(add_submission(offline, user=user))
    assert response.status_code == 200
    assert response.json() == {"response_type": "ephemeral", "text": UNREACHABLE}
    assert submitted.status_code == 200
    assert UNREACHABLE in str(submitted.json())
    assert counts() == before
    assert "auth.test" in caplog.text  # the reason is logged


def test_a_failed_modal_open_is_reported_to_the_person(world, offline, settings, caplog):
    # The team is known from the settings, so the command is accepted; opening its modal fails.
    settings.SLACK_ALLOWED_TEAM_IDS = [TEAM]
    with caplog.at_level(logging.WARNING):
        response = offline.command("log", user="U0PAT")
    assert response.status_code == 200
    replies = offline.stub.called("/response/command")
    assert replies and UNREACHABLE.encode() in replies[-1]["raw"]
    assert "Could not open the log modal" in caplog.text
    assert not Touchpoint.objects.exists()
