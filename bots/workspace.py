"""Which Slack workspace the bot answers, and telling "Slack is unreachable" from other failures.

With SLACK_ALLOWED_TEAM_IDS empty, only the installation's own team is answered: its id comes
from one `auth.test`, shared by every process through Django's cache.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.error import URLError

from django.conf import settings
from django.core.cache import cache
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)

UNREACHABLE = "Partnerbase can't reach Slack right now. Please try again in a few minutes."
# A token's team never changes; a day bounds how long a reinstall elsewhere goes unnoticed.
AUTH_TEST_TIMEOUT = 24 * 3600
# URLError (refused, DNS), socket timeouts and resets are all OSErrors to the Slack SDK's client.
NETWORK_ERRORS = (URLError, OSError)


class SlackUnreachable(Exception):
    """A Web API call the request needs failed; the message says why (for the log)."""


def is_unreachable(error: BaseException) -> bool:
    # An "ok": false answer (SlackApiError) means Slack was reached and said no.
    reached = isinstance(error, SlackApiError)
    return not reached and isinstance(error, (SlackUnreachable, SlackClientError, *NETWORK_ERRORS))


def _cache_key(token: str) -> str:
    return "bots:auth_test:" + hashlib.sha256(token.encode()).hexdigest()[:24]


def installation(client) -> dict:
    """The installation's team and bot ids (auth.test once, then Django's cache)."""
    token = client.token or ""
    key = _cache_key(token)
    found = cache.get(key)
    if found:
        return found
    try:
        answer = client.auth_test()
    except SlackApiError as err:
        raise SlackUnreachable(f"auth.test: {err.response.get('error')}") from err
    except (SlackClientError, *NETWORK_ERRORS) as err:
        raise SlackUnreachable(f"auth.test: {err!r}") from err
    found = {k: answer.get(k) for k in ("team_id", "user_id", "bot_id", "enterprise_id")}
    cache.set(key, found, AUTH_TEST_TIMEOUT)
    return found


def allowed_team_ids(client) -> frozenset[str]:
    """SLACK_ALLOWED_TEAM_IDS, or else the installation's own team; SlackUnreachable when
    that has to be asked and Slack does not answer."""
    configured = [t for t in getattr(settings, "SLACK_ALLOWED_TEAM_IDS", []) if t]
    if configured:
        return frozenset(configured)
    return frozenset({installation(client)["team_id"]})


def make_authorize(client):
    """Bolt's authorize step without a Web API call on the request path when the ids are known;
    when Slack cannot be asked, the request still goes on (help needs no Web API) and the
    middleware decides."""

    def authorize(enterprise_id, team_id, user_id) -> AuthorizeResult:
        try:
            own = installation(client)
        except SlackUnreachable as err:
            log.warning("Slack unreachable while authorizing: %s", err)
            own = {}
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_token=client.token,
            bot_id=own.get("bot_id"),
            bot_user_id=own.get("user_id"),
            user_id=user_id,
        )

    return authorize
