"""Who is asking: map a Slack user to an active staff account, or say politely why not."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from slack_sdk.errors import SlackApiError, SlackClientError

from bots.workspace import NETWORK_ERRORS, SlackUnreachable, allowed_team_ids
from crm.selectors.staff import staff_by_email, staff_by_slack_id
from crm.services.staff import staff_profile_link_slack

log = logging.getLogger(__name__)

NOT_STAFF = (
    "Sorry, I don't know you yet. Ask a Partnerbase administrator to add your Slack account "
    "(or the email address verified in Slack) to your staff profile."
)
INACTIVE = "Sorry, your Partnerbase account is not active. Ask an administrator to reactivate it."
OTHER_WORKSPACE = "Sorry, Partnerbase only answers requests from its own Slack workspace."


class Refusal(Exception):
    """The request must not go further; the message is safe to show the person."""


def allowed_team(client, team_id: str | None) -> bool:
    """Only the configured workspaces, or else the installation's own (SlackUnreachable when
    that has to be asked and Slack does not answer)."""
    return bool(team_id) and team_id in allowed_team_ids(client)


def resolve_staff(*, client, slack_user_id: str | None, team_id: str | None):
    """The active staff user behind a Slack user id, or raise Refusal with a polite message."""
    if not allowed_team(client, team_id):
        raise Refusal(OTHER_WORKSPACE)
    if not slack_user_id:
        raise Refusal(NOT_STAFF)
    user = staff_by_slack_id(slack_user_id)
    if user is not None:
        if not user.is_active:
            raise Refusal(INACTIVE)
        return user
    return _resolve_by_email(client=client, slack_user_id=slack_user_id, team_id=team_id)


def _resolve_by_email(*, client, slack_user_id: str, team_id: str | None):
    try:
        info = client.users_info(user=slack_user_id)["user"]
    except SlackApiError as err:
        log.warning("users.info failed for %s: %s", slack_user_id, err.response.get("error"))
        raise Refusal(NOT_STAFF) from err
    except (SlackClientError, *NETWORK_ERRORS) as err:
        raise SlackUnreachable(f"users.info: {err!r}") from err
    if info.get("deleted") or info.get("is_bot"):
        raise Refusal(NOT_STAFF)
    if team_id and info.get("team_id") and info["team_id"] != team_id:
        raise Refusal(OTHER_WORKSPACE)
    email = (info.get("profile") or {}).get("email", "")
    if not email or not info.get("is_email_confirmed"):
        raise Refusal(NOT_STAFF)
    user = staff_by_email(email)
    if user is None:
        raise Refusal(NOT_STAFF)
    try:
        staff_profile_link_slack(
            user=user,
            slack_user_id=slack_user_id,
            slack_team_id=team_id or "",
            actor=user,
            source="slack",
        )
    except ValidationError as err:
        raise Refusal(NOT_STAFF) from err
    return user
