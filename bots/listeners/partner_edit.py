"""`/partners edit <name>` and the "Edit" buttons: the partner form, saved by `partner_update`,
whose duplicate check answers a rename like `/partners add` ("Did you mean…?", "Save anyway")."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from bots import modals, views
from bots.links import partner_admin_url
from bots.listeners.common import (
    NO_PERMISSION,
    SOURCE,
    actor,
    form_values,
    metadata,
    save_in_modal,
)
from bots.listeners.partners import match_data, prompt_matches
from bots.pending import pending_form_find, pending_form_hold
from bots.respond import log, reply, update_view
from bots.workspace import UNREACHABLE, is_unreachable
from crm.selectors.catalog import live_partners, partner_edit_values
from crm.services.partners import DuplicatePartner, partner_update

TITLE = "Edit partner"
PERMISSION = "crm.change_partner"
GONE = "That partner was merged into another record or no longer exists; edit the surviving one."
EXPIRED = "This prompt has expired; run `/partners edit` again."
TEXT_FIELDS = ("name", "website", "ein", "phone", "street", "city", "zip")


def edit_command(body, client, *, query: str, rows: list[dict]) -> None:
    """Open the form for the partner `query` names (the only one found, or the one whose name
    it is); otherwise list the partners found, each with an "Edit" button."""
    wanted = " ".join(query.split()).casefold()
    named = [row for row in rows if " ".join(row["name"].split()).casefold() == wanted]
    pick = named[0] if len(named) == 1 else rows[0] if len(rows) == 1 else None
    if pick is None:
        reply(body.get("response_url"), views.edit_choices_reply(query, rows))
        return
    open_form(body, client, partner_id=pick["id"])


def open_form(body, client, *, partner_id: int) -> None:
    response_url = body.get("response_url") or ""
    values = partner_edit_values(partner_id)
    if values is None:
        reply(response_url, views.ephemeral(views.problem(GONE)))
        return
    meta = {"partner_id": partner_id, "response_url": response_url}
    try:
        client.views_open(
            trigger_id=body["trigger_id"],
            view=modals.partner_edit_modal(values=values, metadata=meta),
        )
    except Exception as err:  # noqa: BLE001 - any failure: tell the person, log why
        log.warning("Could not open the edit modal: %r", err)
        message = UNREACHABLE if is_unreachable(err) else "Sorry, I could not open the form."
        reply(response_url, views.ephemeral(message))


def edit_open_ack(ack):
    ack()


def edit_open_lazy(body, client, context, action):
    """An "Edit" button: open the form, for those who may change partners."""
    if not actor(context).has_perm(PERMISSION):
        reply(body.get("response_url"), views.ephemeral(NO_PERMISSION))
        return
    value = str(action.get("value") or "")
    if value.isdigit():
        open_form(body, client, partner_id=int(value))


def read_edit_form(view: dict) -> tuple[dict, dict]:
    """The submitted fields as `partner_update` data, and {block_id: message} for what is wrong."""
    values = form_values(view)
    data = {name: values.get(name) or "" for name in TEXT_FIELDS}
    data["name"] = " ".join(data["name"].split())
    lines = (values.get("aliases") or "").splitlines()
    data["aliases"] = [" ".join(line.split()) for line in lines if line.strip()]
    errors = {} if data["name"] else {"name": "A partner needs a name."}
    return data, errors


def edit_submit_ack(ack, view):
    _, errors = read_edit_form(view)
    if errors:
        return ack(response_action="errors", errors=errors)
    ack(response_action="update", view=views.message_view(TITLE, "Saving…"))


def edit_submit_lazy(body, client, context, view):
    """Save once per submitted view (same id and hash), then show the outcome in the modal."""
    data, errors = read_edit_form(view)
    if errors:
        return
    meta = metadata(view)
    slack_user, user = body["user"]["id"], actor(context)
    attempt(
        client,
        view_id=view["id"],
        key=f"view:{view['id']}:{view.get('hash', '')}",
        kind="partner_edit",
        slack_user=slack_user,
        response_url=meta.get("response_url"),
        work=lambda: save_edit(data, meta=meta, user=user, slack_user=slack_user),
    )


def rename_anyway_ack(ack):
    ack()


def rename_anyway_lazy(body, client, context, action):
    """ "Save anyway" after "Did you mean…?", once per prompt however often it is clicked."""
    token = action["value"]
    view_id, slack_user = (body.get("view") or {}).get("id", ""), body["user"]["id"]
    held = pending_form_find(token=token, slack_user_id=slack_user, kind="partner_edit")
    if held is None:
        update_view(client, view_id=view_id, view=views.message_view(TITLE, EXPIRED))
        return
    user = actor(context)
    attempt(
        client,
        view_id=view_id,
        key=f"rename:{token}",
        kind="partner_rename_anyway",
        slack_user=slack_user,
        response_url=held["meta"].get("response_url"),
        work=lambda: save_edit(
            held["data"], meta=held["meta"], user=user, slack_user=slack_user, anyway=True
        ),
    )


def save_edit(data: dict, *, meta: dict, user, slack_user: str, anyway: bool = False) -> dict:
    """The form through `partner_update`; a likely duplicate keeps the form for the prompt."""
    partner_id = meta.get("partner_id")
    found = live_partners([partner_id]) if isinstance(partner_id, int) else []
    if not found:
        raise ValidationError(GONE)
    try:
        partner = partner_update(
            partner=found[0], actor=user, source=SOURCE, data=data, rename_anyway=anyway
        )
    except DuplicatePartner as duplicate:
        offered = [match_data(m) for m in duplicate.matches]
        token = pending_form_hold(
            kind="partner_edit",
            slack_user_id=slack_user,
            data={"data": data, "meta": meta, "matches": offered},
        )
        return {"status": "duplicate", "token": token, "typed": data["name"], "matches": offered}
    return {"status": "saved", "partner_id": partner.pk, "name": partner.name, "anyway": anyway}


def attempt(client, *, view_id: str, key: str, kind: str, slack_user: str, response_url, work):
    """Run `work` once per `key` and show its outcome; a refusal or failure is said in words."""
    result = save_in_modal(
        client, view_id=view_id, title=TITLE, key=key, kind=kind, slack_user=slack_user, work=work
    )
    if result is None:
        return
    if result.get("status") == "duplicate":
        view = views.rename_prompt_view(
            typed=result["typed"], matches=prompt_matches(result["matches"]), token=result["token"]
        )
        update_view(client, view_id=view_id, view=view)
        return
    url = partner_admin_url(result["partner_id"])
    message = views.partner_updated(url=url, name=result["name"], anyway=result["anyway"])
    update_view(client, view_id=view_id, view=views.message_view(TITLE, message))
    reply(response_url, views.ephemeral(message))


def register(app) -> None:
    app.action(re.compile(f"^{views.EDIT_PARTNER}:\\d+$"))(ack=edit_open_ack, lazy=[edit_open_lazy])
    app.view(views.EDIT_CALLBACK)(ack=edit_submit_ack, lazy=[edit_submit_lazy])
    app.action(views.RENAME_ANYWAY)(ack=rename_anyway_ack, lazy=[rename_anyway_lazy])
