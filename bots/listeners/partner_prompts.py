"""The buttons of `/partners add`'s prompts: "Use existing" or "Create anyway" after "Did you
mean…?", and "Log a touchpoint instead" when the partnership exists already."""

from __future__ import annotations

import re

from bots import views
from bots.listeners.common import SOURCE, actor
from bots.listeners.partners import TITLE, attempt, contact_of, match_from, save_partnership
from bots.pending import pending_form_find
from bots.respond import update_view
from crm.services.intake import touchpoint_log_from_intake

EXPIRED = "This prompt has expired; run `/partners add` again."


def held_form(client, *, token: str, kind: str, view_id: str, user: str) -> dict | None:
    """The form a prompt holds for its author; None (and the modal says so) once it expired."""
    held = pending_form_find(token=token, slack_user_id=user, kind=kind)
    if held is None:
        update_view(client, view_id=view_id, view=views.message_view(TITLE, EXPIRED))
    return held


def duplicate_choice_ack(ack):
    ack()


def duplicate_choice_lazy(body, client, context, action):
    """Use an existing partner or create anyway, once per prompt however often it is clicked."""
    token, _, chosen = action["value"].partition(":")
    view_id, slack_user = (body.get("view") or {}).get("id", ""), body["user"]["id"]
    held = held_form(client, token=token, kind="partner_add", view_id=view_id, user=slack_user)
    if held is None:
        return
    form, meta = held["form"], held["meta"]
    offered = [match_from(m) for m in held["matches"]]
    chosen_id = int(chosen) if chosen.isdigit() else None
    if chosen_id is not None and chosen_id not in {m.id for m in offered}:
        return
    user = actor(context)
    attempt(
        client,
        view_id=view_id,
        key=f"choice:{token}",
        kind="partner_add_choice",
        slack_user=slack_user,
        meta=meta,
        work=lambda: save_partnership(
            form,
            meta=meta,
            user=user,
            slack_user=slack_user,
            chosen_id=chosen_id,
            create_anyway=chosen_id is None,
            offered=offered if chosen_id is not None else None,
        ),
    )


def log_instead_ack(ack):
    ack()


def log_instead_lazy(body, client, context, action):
    """ "Log a touchpoint instead": the contact (if new) and the note, once per prompt."""
    token = action["value"]
    view_id, slack_user = (body.get("view") or {}).get("id", ""), body["user"]["id"]
    held = held_form(
        client, token=token, kind="partnership_exists", view_id=view_id, user=slack_user
    )
    if held is None:
        return
    form, meta = held["form"], held["meta"]
    user = actor(context)

    def work() -> dict:
        intake = touchpoint_log_from_intake(
            actor=user,
            source=SOURCE,
            partner_id=held["partner_id"],
            notes=form["note"],
            **contact_of(form),
        )
        return {
            "status": "logged",
            "partner_id": intake.partner.pk,
            "partner_name": intake.partner.name,
            "touchpoint_id": intake.touchpoint.pk,
        }

    attempt(
        client,
        view_id=view_id,
        key=f"instead:{token}",
        kind="partnership_log_instead",
        slack_user=slack_user,
        meta=meta,
        work=work,
    )


def register(app) -> None:
    app.action(re.compile(f"^({views.USE_EXISTING}:\\d+|{views.CREATE_ANYWAY})$"))(
        ack=duplicate_choice_ack, lazy=[duplicate_choice_lazy]
    )
    app.action(views.LOG_INSTEAD)(ack=log_instead_ack, lazy=[log_instead_lazy])
