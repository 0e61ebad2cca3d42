"""`/partners add`: the modal's submission, handed to `partnership_log_from_intake`, and the
outcome shown in the modal (saved, "Did you mean…?", or "Already a partner")."""

from __future__ import annotations

from bots import views
from bots.links import partner_admin_url
from bots.listeners.common import SOURCE, actor, form_values, metadata, save_in_modal
from bots.pending import pending_form_hold
from bots.respond import reply, update_view
from crm.dedup.explain import describe
from crm.dedup.score import Match
from crm.selectors.catalog import partner_briefs, places_by_keys
from crm.services.intake import DUPLICATE, EXISTS, Intake, partnership_log_from_intake

TITLE = "New partnership"


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
    attempt(
        client,
        view_id=view["id"],
        key=f"view:{view['id']}:{view.get('hash', '')}",
        kind="partner_add",
        slack_user=slack_user,
        meta=meta,
        work=lambda: save_partnership(form, meta=meta, user=user, slack_user=slack_user),
    )


def attempt(client, *, view_id: str, key: str, kind: str, slack_user: str, meta: dict, work):
    """Run `work` once per `key` and show its outcome; a refusal or failure is said in words."""
    result = save_in_modal(
        client, view_id=view_id, title=TITLE, key=key, kind=kind, slack_user=slack_user, work=work
    )
    if result is not None:
        show_outcome(client, view_id=view_id, result=result, response_url=meta.get("response_url"))


def save_partnership(
    form: dict,
    *,
    meta: dict,
    user,
    slack_user: str,
    chosen_id: int | None = None,
    create_anyway: bool = False,
    offered: list[Match] | None = None,
) -> dict:
    """The modal's form through the intake service; a prompt keeps the form for its answer."""
    districts, schools = places_by_keys(form["places"])
    intake = partnership_log_from_intake(
        actor=user,
        source=SOURCE,
        partner_id=chosen_id or form["partner_id"],
        name=form["name"],
        kind=form["kind"],
        service_categories=form["services"],
        districts=districts,
        schools=schools,
        strategic=form["strategic"],
        agreement_type=form["agreement"],
        notes=form["note"],
        create_anyway=create_anyway,
        offered=offered or (),
        **contact_of(form),
    )
    if intake.status == DUPLICATE:
        return hold_for_choice(form, meta=meta, slack_user=slack_user, matches=intake.matches)
    if intake.status == EXISTS:
        return hold_existing(form, meta=meta, slack_user=slack_user, intake=intake)
    return {
        "status": "saved",
        "partner_id": intake.partner.pk,
        "partner_name": intake.partner.name,
        "created_partner": intake.created_partner,
        "partnership_id": intake.partnership.pk,
        "touchpoint_id": intake.touchpoint.pk,
    }


def contact_of(form: dict) -> dict:
    """The modal's contact fields, named as the intake services take them."""
    return {key: form[key] for key in ("contact_name", "contact_email", "contact_phone")}


def hold_existing(form: dict, *, meta: dict, slack_user: str, intake: Intake) -> dict:
    """Stop before a second identical partnership; keep the form for "Log a touchpoint"."""
    partner, partnership = intake.partner, intake.partnership
    token = pending_form_hold(
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


def match_data(match: Match) -> dict:
    return {
        "id": match.id,
        "name": match.name,
        "score": match.score,
        "level": match.level,
        "reasons": list(match.reasons),
        "weight": match.weight,
        "probability": match.probability,
    }


def match_from(data: dict) -> Match:
    return Match(
        id=data["id"],
        name=data["name"],
        score=data["score"],
        level=data["level"],
        reasons=tuple(data["reasons"]),
        weight=data.get("weight", 0.0),
        probability=data.get("probability", 0.0),
    )


def hold_for_choice(form: dict, *, meta: dict, slack_user: str, matches) -> dict:
    offered = [match_data(m) for m in matches]
    token = pending_form_hold(
        kind="partner_add",
        slack_user_id=slack_user,
        data={"form": form, "meta": meta, "matches": offered},
    )
    return {"status": "duplicate", "token": token, "typed": form["name"], "matches": offered}


def prompt_matches(offered: list[dict]) -> list[dict]:
    """Held matches as a "Did you mean…?" prompt shows them: status, admin link, reasons."""
    briefs = partner_briefs(m["id"] for m in offered)
    return [
        {
            "id": m["id"],
            "name": m["name"],
            "status": briefs.get(m["id"], ("", "unknown"))[1],
            "url": partner_admin_url(m["id"]),
            "reasons": describe(match_from(m)),
        }
        for m in offered
    ]


def show_outcome(client, *, view_id: str, result: dict, response_url: str | None) -> None:
    status = result.get("status")
    if status == "exists":
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
    if status == "duplicate":
        view = views.duplicate_prompt_view(
            typed=result["typed"], matches=prompt_matches(result["matches"]), token=result["token"]
        )
        update_view(client, view_id=view_id, view=view)
        return
    url = partner_admin_url(result["partner_id"])
    if status == "logged":
        message = views.touchpoint_instead_logged(partner=result["partner_name"], url=url)
    else:
        message = views.partner_saved(
            created=result["created_partner"], url=url, name=result["partner_name"]
        )
    update_view(client, view_id=view_id, view=views.message_view(TITLE, message))
    reply(response_url, views.ephemeral(message))


def register(app) -> None:
    app.view(views.ADD_CALLBACK)(ack=add_submit_ack, lazy=[add_submit_lazy])
