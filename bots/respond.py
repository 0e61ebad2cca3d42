"""Answering Slack outside a listener's ack: a reply through a response_url and a modal
update. Failures are only logged: the write they report on is already saved."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

log = logging.getLogger("bots")


def reply(response_url: str | None, body: dict) -> None:
    """Post an ephemeral reply through a command's response_url; failures are only logged."""
    if not response_url:
        return
    try:
        WebhookClient(response_url).send_dict(body)
    except Exception:  # noqa: BLE001 - a lost courtesy message must not undo a saved write
        log.exception("Could not post to the response_url")


def update_view(client, *, view_id: str, view: dict) -> None:
    try:
        client.views_update(view_id=view_id, view=view)
    except SlackApiError as err:
        log.warning("views.update failed: %s", err.response.get("error"))
    except Exception as err:  # noqa: BLE001 - Slack unreachable: the write is already saved
        log.warning("views.update failed, Slack unreachable: %r", err)
