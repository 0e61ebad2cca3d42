"""`/partners log` and the "Log to partner" message shortcut: a touchpoint with a partner."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from slack_sdk.errors import SlackApiError

from bots import modals, views
from bots.idempotency import run_once
from bots.links import partner_admin_url
from bots.listeners.common import (
    NO_PERMISSION,
    SOURCE,
    actor,
    explain,
    form_values,
    metadata,
    parse_date,
)
from bots.respond import log, reply
from crm.models import Partner, TouchpointChannel
from crm.selectors.partners import partner_resolve
from crm.services.activity import touchpoint_create

TITLE = "Log a touchpoint"


def read_log_form(view: dict) -> tuple[dict, dict]:
    values = form_values(view)
    errors: dict[str, str] = {}
    picked = values.get("partner") or ""
    partner_id = int(picked[2:]) if picked[2:].isdigit() else None
    if not picked.startswith(views.PARTNER_PREFIX) or partner_id is None:
        errors["partner"] = "Pick an existing partner (add new ones with `/partners add`)."
    summary = values.get("summary") or ""
    if not summary:
        errors["summary"] = "Say what happened."
    channel = values.get("channel") or TouchpointChannel.CALL
    if channel not in TouchpointChannel.values:
        errors["channel"] = "Pick a channel."
    try:
        occurred_on = parse_date(values.get("occurred_on")) or timezone.localdate()
        follow_up_on = parse_date(values.get("follow_up_on"))
    except ValueError:
        errors["occurred_on"] = "Pick dates from the calendar."
        occurred_on = follow_up_on = None
    if occurred_on and follow_up_on and follow_up_on < occurred_on:
        errors["follow_up_on"] = "The follow-up cannot be before the touchpoint."
    form = {
        "partner_id": partner_id,
        "summary": summary,
        "channel": channel,
        "occurred_on": occurred_on,
        "follow_up_on": follow_up_on,
        "next_step": values.get("next_step") or "",
    }
    return form, errors


def log_submit(ack, body, context, view):
    """Write the touchpoint once per submitted view, then show the confirmation in the modal."""
    form, errors = read_log_form(view)
    if errors:
        return ack(response_action="errors", errors=errors)
    meta = metadata(view)
    user = actor(context)

    def work() -> dict:
        partner = partner_resolve(Partner.objects.get(pk=form["partner_id"]))
        touchpoint = touchpoint_create(
            partner=partner,
            occurred_on=form["occurred_on"],
            channel=form["channel"],
            summary=form["summary"],
            next_step=form["next_step"],
            follow_up_on=form["follow_up_on"],
            slack_permalink=meta.get("permalink", ""),
            actor=user,
            source=SOURCE,
        )
        return {"touchpoint_id": touchpoint.pk, "partner_id": partner.pk, "name": partner.name}

    try:
        _, result = run_once(
            f"view:{view['id']}:{view.get('hash', '')}",
            kind="touchpoint_log",
            slack_user_id=body["user"]["id"],
            work=work,
        )
    except Partner.DoesNotExist:
        return ack(response_action="errors", errors={"partner": "That partner no longer exists."})
    except (PermissionDenied, ValidationError) as err:
        return ack(response_action="update", view=views.message_view(TITLE, explain(err)))
    url = partner_admin_url(result["partner_id"])
    message = views.touchpoint_logged(url=url, name=result["name"])
    ack(response_action="update", view=views.message_view(TITLE, message))


def shortcut_ack(ack):
    ack()


def shortcut_lazy(body, client, context, shortcut):
    """Open the touchpoint modal prefilled with the message text and its permalink."""
    user = actor(context)
    response_url = shortcut.get("response_url")
    if not user.has_perm("crm.add_touchpoint"):
        reply(response_url, views.ephemeral(NO_PERMISSION))
        return
    channel_id = (shortcut.get("channel") or {}).get("id", "")
    message = shortcut.get("message") or {}
    permalink = ""
    try:
        permalink = client.chat_getPermalink(channel=channel_id, message_ts=message.get("ts"))[
            "permalink"
        ]
    except SlackApiError as err:
        log.warning("chat.getPermalink failed: %s", err.response.get("error"))
    view = modals.touchpoint_modal(
        metadata={"permalink": permalink, "channel": channel_id, "response_url": response_url},
        summary=message.get("text", ""),
        today=timezone.localdate().isoformat(),
    )
    client.views_open(trigger_id=shortcut["trigger_id"], view=view)


def register(app) -> None:
    app.view(views.LOG_CALLBACK)(log_submit)
    app.message_shortcut(views.LOG_SHORTCUT)(ack=shortcut_ack, lazy=[shortcut_lazy])
