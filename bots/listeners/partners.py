"""`/partners add`: the typeahead, the modal submission, the duplicate prompt and its buttons."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bots import views
from bots.idempotency import run_once
from bots.links import partner_admin_url
from bots.listeners.common import (
    SOURCE,
    actor,
    explain,
    form_values,
    metadata,
    reply,
    update_view,
)
from bots.models import PendingForm
from crm.dedup.explain import describe
from crm.dedup.score import Match
from crm.models import Partner, PartnershipScope, TouchpointChannel
from crm.selectors.catalog import (
    partner_briefs,
    partner_typeahead,
    place_suggest,
    places_by_keys,
)
from crm.selectors.partners import partner_resolve
from crm.selectors.partnerships import partnership_active_alike
from crm.services.activity import partnership_create, touchpoint_create
from crm.services.partners import (
    DuplicatePartner,
    contact_create,
    partner_create,
    partner_duplicate_choice_record,
)

TITLE = "New partnership"
FAILED = "Something went wrong and nothing was saved. Please try again in a minute."
# A duplicate prompt left unanswered this long is treated as abandoned.
PROMPT_LIFETIME = dt.timedelta(days=1)


# --- typeahead ---------------------------------------------------------------------------


def suggest_partners(text: str, *, allow_create: bool, limit: int = 10) -> list[dict]:
    """Options for a partner picker: live matches first, with status and score."""
    matches = partner_typeahead(text=text, limit=limit)
    briefs = partner_briefs(m.id for m in matches)
    rows = [
        (m.id, briefs[m.id][0], briefs[m.id][1], m.score)
        for m in matches
        if m.id in briefs and briefs[m.id][2] is None
    ]
    return views.partner_options(rows, typed=text, allow_create=allow_create)


def partner_pick_options(ack, body, payload):
    allow_create = (body.get("view") or {}).get("callback_id") == views.ADD_CALLBACK
    ack(options=suggest_partners(payload.get("value", ""), allow_create=allow_create))


def partner_multi_options(ack, payload):
    ack(options=suggest_partners(payload.get("value", ""), allow_create=False))


def place_options(ack, payload):
    ack(options=[views.option(label, key) for key, label in place_suggest(payload["value"])])


# --- the modal ---------------------------------------------------------------------------


def read_add_form(view: dict) -> tuple[dict, dict]:
    """The submitted form as plain data, and {block_id: message} for what is wrong."""
    values = form_values(view)
    errors: dict[str, str] = {}
    picked = values.get("organization") or ""
    form = {
        "partner_id": None,
        "name": "",
        "kind": values.get("kind") or "nonprofit",
        "services": [int(v) for v in values.get("services") or [] if str(v).isdigit()],
        "places": list(values.get("places") or []),
        "contact_name": values.get("contact_name") or "",
        "contact_email": values.get("contact_email") or "",
        "contact_phone": values.get("contact_phone") or "",
        "strategic": "yes" in (values.get("strategic") or []),
        "agreement": values.get("agreement") or "informal",
        "note": values.get("note") or "",
    }
    if picked.startswith(views.PARTNER_PREFIX) and picked[2:].isdigit():
        form["partner_id"] = int(picked[2:])
    elif picked.startswith(views.NEW_PREFIX):
        form["name"] = " ".join(picked[len(views.NEW_PREFIX) :].split())
    if not form["partner_id"] and not form["name"]:
        errors["organization"] = "Type the organization's name and pick it or “Create new”."
    if (form["contact_email"] or form["contact_phone"]) and not form["contact_name"]:
        errors["contact_name"] = "Add the contact's name too."
    return form, errors


def add_submit_ack(ack, view):
    _, errors = read_add_form(view)
    if errors:
        return ack(response_action="errors", errors=errors)
    ack(response_action="update", view=views.message_view(TITLE, "Saving…"))


def add_submit_lazy(body, client, context, view):
    """Save once per submitted view (same id and hash), then show the outcome in the modal."""
    form, errors = read_add_form(view)
    if errors:
        return
    meta = metadata(view)
    slack_user = body["user"]["id"]
    user = actor(context)
    try:
        _, result = run_once(
            f"view:{view['id']}:{view.get('hash', '')}",
            kind="partner_add",
            slack_user_id=slack_user,
            work=lambda: save_partnership(form, meta=meta, user=user, slack_user=slack_user),
        )
    except (PermissionDenied, ValidationError) as err:
        update_view(client, view_id=view["id"], view=views.message_view(TITLE, explain(err)))
        return
    except Exception:
        # The modal says "Saving…" until told otherwise; nothing was written (all rolled back).
        update_view(client, view_id=view["id"], view=views.message_view(TITLE, FAILED))
        raise
    show_outcome(client, view_id=view["id"], result=result, response_url=meta.get("response_url"))


def save_partnership(
    form: dict,
    *,
    meta: dict,
    user,
    slack_user: str,
    chosen_id: int | None = None,
    create_anyway: bool = False,
) -> dict:
    """Create the partner (unless one was picked), partnership, contact and touchpoint.

    A likely duplicate stops before anything is written: the form is kept for the prompt. So
    does an existing partner's active partnership of the same kind: a touchpoint is offered.
    """
    districts, schools = places_by_keys(form["places"])
    partner_id = chosen_id or form["partner_id"]
    created = False
    if partner_id:
        partner = partner_resolve(Partner.objects.get(pk=partner_id))
    else:
        try:
            partner = partner_create(
                name=form["name"],
                kind=form["kind"],
                service_categories=form["services"],
                districts_served=districts,
                schools_served=schools,
                create_anyway=create_anyway,
                actor=user,
                source=SOURCE,
            )
        except DuplicatePartner as dup:
            return hold_for_choice(form, meta=meta, slack_user=slack_user, matches=dup.matches)
        created = True
    if not created:
        # An existing partner: a second identical partnership would count it twice.
        same = partnership_active_alike(
            partner_id=partner.pk,
            strategic=form["strategic"],
            agreement_type=form["agreement"],
            on=timezone.localdate(),
        )
        if same is not None:
            return hold_existing(form, meta=meta, slack_user=slack_user, partnership=same)
    scope = (
        PartnershipScope.SCHOOLS
        if schools
        else PartnershipScope.DISTRICTS
        if districts
        else PartnershipScope.COUNTYWIDE
    )
    today = timezone.localdate()
    partnership = partnership_create(
        partner=partner,
        start_date=today,
        scope=scope,
        strategic=form["strategic"],
        agreement_type=form["agreement"],
        lead_staff=user,
        notes=form["note"],
        districts=districts,
        schools=schools,
        actor=user,
        source=SOURCE,
    )
    contact = add_contact(form, partner=partner, user=user) if form["contact_name"] else None
    touchpoint = log_touchpoint(form, partner=partner, user=user, contact=contact)
    return {
        "status": "saved",
        "partner_id": partner.pk,
        "partner_name": partner.name,
        "created_partner": created,
        "partnership_id": partnership.pk,
        "touchpoint_id": touchpoint.pk,
    }


def add_contact(form: dict, *, partner: Partner, user):
    """The contact typed in the modal, added to the partner."""
    return contact_create(
        partner=partner,
        name=form["contact_name"],
        email=form["contact_email"],
        phone=form["contact_phone"],
        actor=user,
        source=SOURCE,
    )


def log_touchpoint(form: dict, *, partner: Partner, user, contact=None):
    return touchpoint_create(
        partner=partner,
        contact=contact,
        occurred_on=timezone.localdate(),
        channel=TouchpointChannel.SLACK,
        summary=form["note"] or "Partnership logged from Slack.",
        actor=user,
        source=SOURCE,
    )


def hold_existing(form: dict, *, meta: dict, slack_user: str, partnership) -> dict:
    """Stop before a second identical partnership; keep the form for "Log a touchpoint"."""
    token = secrets.token_urlsafe(16)
    partner = partnership.partner
    PendingForm.objects.create(
        token=token,
        kind="partnership_exists",
        slack_user_id=slack_user,
        data={"form": form, "meta": meta, "partner_id": partner.pk},
    )
    kind = ("strategic " if partnership.strategic else "") + str(
        partnership.get_agreement_type_display()
    )
    lead = ""
    if partnership.lead_staff_id:
        staff = partnership.lead_staff
        lead = staff.get_full_name() or staff.get_username()
    return {
        "status": "exists",
        "token": token,
        "partner_id": partner.pk,
        "partner_name": partner.name,
        "partnership_id": partnership.pk,
        "kind": kind,
        "since": partnership.start_date.isoformat(),
        "lead": lead,
    }


def hold_for_choice(form: dict, *, meta: dict, slack_user: str, matches: list[Match]) -> dict:
    token = secrets.token_urlsafe(16)
    offered = [
        {
            "id": m.id,
            "name": m.name,
            "score": m.score,
            "level": m.level,
            "reasons": list(m.reasons),
            "weight": m.weight,
            "probability": m.probability,
        }
        for m in matches
    ]
    PendingForm.objects.create(
        token=token,
        kind="partner_add",
        slack_user_id=slack_user,
        data={"form": form, "meta": meta, "matches": offered},
    )
    return {"status": "duplicate", "token": token, "typed": form["name"], "matches": offered}


def show_outcome(client, *, view_id: str, result: dict, response_url: str | None) -> None:
    if result.get("status") == "exists":
        view = views.partnership_exists_view(
            partner=result["partner_name"],
            url=partner_admin_url(result["partner_id"]),
            kind=result["kind"],
            since=result["since"],
            lead=result["lead"],
            token=result["token"],
        )
        update_view(client, view_id=view_id, view=view)
        return
    if result.get("status") == "logged":
        url = partner_admin_url(result["partner_id"])
        message = views.touchpoint_instead_logged(partner=result["partner_name"], url=url)
        update_view(client, view_id=view_id, view=views.message_view(TITLE, message))
        reply(response_url, views.ephemeral(message))
        return
    if result.get("status") == "duplicate":
        briefs = partner_briefs(m["id"] for m in result["matches"])
        matches = [
            {
                "id": m["id"],
                "name": m["name"],
                "status": briefs.get(m["id"], ("", "unknown"))[1],
                "url": partner_admin_url(m["id"]),
                "reasons": describe(_match(m)),
            }
            for m in result["matches"]
        ]
        view = views.duplicate_prompt_view(
            typed=result["typed"], matches=matches, token=result["token"]
        )
        update_view(client, view_id=view_id, view=view)
        return
    message = views.partner_saved(
        created=result["created_partner"],
        url=partner_admin_url(result["partner_id"]),
        name=result["partner_name"],
    )
    update_view(client, view_id=view_id, view=views.message_view(TITLE, message))
    reply(response_url, views.ephemeral(message))


def _match(data: dict) -> Match:
    return Match(
        id=data["id"],
        name=data["name"],
        score=data["score"],
        level=data["level"],
        reasons=tuple(data["reasons"]),
        weight=data.get("weight", 0.0),
        probability=data.get("probability", 0.0),
    )


# --- the duplicate prompt's buttons ------------------------------------------------------


def duplicate_choice_ack(ack):
    ack()


def duplicate_choice_lazy(body, client, context, action):
    """Use an existing partner or create anyway, once per prompt however often it is clicked."""
    token, _, chosen = action["value"].partition(":")
    view_id = (body.get("view") or {}).get("id", "")
    slack_user = body["user"]["id"]
    pending = PendingForm.objects.filter(
        token=token,
        slack_user_id=slack_user,
        created_at__gte=timezone.now() - PROMPT_LIFETIME,
    ).first()
    if pending is None:
        update_view(
            client,
            view_id=view_id,
            view=views.message_view(TITLE, "This prompt has expired; run `/partners add` again."),
        )
        return
    form, meta = pending.data["form"], pending.data["meta"]
    offered = pending.data["matches"]
    chosen_id = int(chosen) if chosen.isdigit() else None
    if chosen_id is not None and chosen_id not in {m["id"] for m in offered}:
        return
    user = actor(context)

    def work() -> dict:
        if chosen_id is not None:
            partner_duplicate_choice_record(
                name=form["name"],
                chosen=Partner.objects.get(pk=chosen_id),
                matches=[_match(m) for m in offered],
                actor=user,
                source=SOURCE,
            )
        return save_partnership(
            form,
            meta=meta,
            user=user,
            slack_user=slack_user,
            chosen_id=chosen_id,
            create_anyway=chosen_id is None,
        )

    try:
        _, result = run_once(
            f"choice:{token}", kind="partner_add_choice", slack_user_id=slack_user, work=work
        )
    except (PermissionDenied, ValidationError) as err:
        update_view(client, view_id=view_id, view=views.message_view(TITLE, explain(err)))
        return
    except Exception:
        update_view(client, view_id=view_id, view=views.message_view(TITLE, FAILED))
        raise
    show_outcome(client, view_id=view_id, result=result, response_url=meta.get("response_url"))


def log_instead_ack(ack):
    ack()


def log_instead_lazy(body, client, context, action):
    """ "Log a touchpoint instead": the contact (if new) and the note, once per prompt."""
    token = action["value"]
    view_id = (body.get("view") or {}).get("id", "")
    slack_user = body["user"]["id"]
    pending = PendingForm.objects.filter(
        token=token,
        kind="partnership_exists",
        slack_user_id=slack_user,
        created_at__gte=timezone.now() - PROMPT_LIFETIME,
    ).first()
    if pending is None:
        update_view(
            client,
            view_id=view_id,
            view=views.message_view(TITLE, "This prompt has expired; run `/partners add` again."),
        )
        return
    form, meta = pending.data["form"], pending.data["meta"]
    user = actor(context)

    def work() -> dict:
        partner = partner_resolve(Partner.objects.get(pk=pending.data["partner_id"]))
        contact = None
        if form["contact_name"]:
            contact = partner.contacts.filter(
                name__iexact=form["contact_name"]
            ).first() or add_contact(form, partner=partner, user=user)
        touchpoint = log_touchpoint(form, partner=partner, user=user, contact=contact)
        return {
            "status": "logged",
            "partner_id": partner.pk,
            "partner_name": partner.name,
            "touchpoint_id": touchpoint.pk,
        }

    try:
        _, result = run_once(
            f"instead:{token}", kind="partnership_log_instead", slack_user_id=slack_user, work=work
        )
    except (PermissionDenied, ValidationError) as err:
        update_view(client, view_id=view_id, view=views.message_view(TITLE, explain(err)))
        return
    except Exception:
        update_view(client, view_id=view_id, view=views.message_view(TITLE, FAILED))
        raise
    show_outcome(client, view_id=view_id, result=result, response_url=meta.get("response_url"))


def register(app) -> None:
    app.options(views.PARTNER_PICK)(partner_pick_options)
    app.options(views.PARTNER_MULTI)(partner_multi_options)
    app.options(views.PLACE_PICK)(place_options)
    app.view(views.ADD_CALLBACK)(ack=add_submit_ack, lazy=[add_submit_lazy])
    app.action(re.compile(f"^({views.USE_EXISTING}:\\d+|{views.CREATE_ANYWAY})$"))(
        ack=duplicate_choice_ack, lazy=[duplicate_choice_lazy]
    )
    app.action(views.LOG_INSTEAD)(ack=log_instead_ack, lazy=[log_instead_lazy])
