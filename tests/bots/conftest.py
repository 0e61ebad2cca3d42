"""Fixtures for the bot's tests: the Slack Web API stub and a signed-request client."""

from __future__ import annotations

import pytest

from tests.bots.slack_support import SECRET, TEAM, SlackClient, SlackStub


@pytest.fixture(scope="session")
def slack_stub():
    stub = SlackStub()
    yield stub
    stub.server.shutdown()


@pytest.fixture
def slack(client, slack_stub, settings):
    """The bot wired to the stub with a test signing secret; lazy listeners run inline."""
    from bots.slack_app import build_app, use_app

    settings.SLACK_LAZY_INLINE = True
    settings.SLACK_ALLOWED_TEAM_IDS = [TEAM]
    settings.WAGTAILADMIN_BASE_URL = "https://pb.example.org"
    slack_stub.reset()
    use_app(build_app(token="xoxb-test", signing_secret=SECRET, client=slack_stub.client()))
    yield SlackClient(client, slack_stub)
    use_app(None)
