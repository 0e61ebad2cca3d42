"""`/partners <subcommand>`: parse, answer at once, and leave modals and reports to lazy work."""

from __future__ import annotations

from django.utils import timezone

from bots import modals, views
from bots.command_line import COMMAND, NEEDS, plan_for
from bots.links import partner_admin_url, referrals_url
from bots.listeners.common import NO_PERMISSION, actor
from bots.listeners.partner_edit import edit_command
from bots.listeners.reports import report_lazy
from bots.respond import log, reply
from bots.workspace import UNREACHABLE, is_unreachable
from crm.fiscal import fy_label
from crm.selectors.catalog import partner_briefs, service_categories
from crm.selectors.partners import partner_matches, partner_suggest
from crm.selectors.staff import schools_for_events


def partners_ack(ack, body, context):
    plan = plan_for(body.get("text", ""))
    if plan.error:
        return ack(views.ephemeral(plan.error))
    if plan.sub == "help":
        return ack(views.ephemeral(views.HELP))
    user = actor(context)
    if plan.sub in NEEDS and not user.has_perm(NEEDS[plan.sub]):
        return ack(views.ephemeral(NO_PERMISSION))
    if plan.sub == "event" and not schools_for_events(user).exists():
        return ack(views.ephemeral("You are not assigned to any school yet; ask an administrator."))
    if plan.sub in {"find", "edit"}:
        # Matching may have to rebuild the index after a write: the results follow the ack.
        return ack(views.ephemeral(views.searching(plan.arg)))
    if plan.sub == "referrals":
        # Student data never goes to Slack: only links into the admin, seen by this person alone.
        return ack(views.ephemeral(referral_links(user)))
    if plan.sub == "report":
        label = f"FY {fy_label(plan.fiscal_year)}"
        return ack(views.ephemeral(f"Preparing the {label} report…"))
    return ack()


def referral_links(user) -> str:
    schools = [(s.pk, s.name) for s in schools_for_events(user)]
    if not schools:
        return "You are not assigned to any school yet; ask an administrator."
    return views.referral_links([(referrals_url(pk), name) for pk, name in schools])


def find_rows(query: str, *, limit: int = 5) -> list[dict]:
    """Best matches by the duplicate scorer, topped up by the typeahead, with status and link."""
    found: dict[int, tuple[float, str]] = {}
    for match in partner_matches(name=query, limit=limit):
        found[match.id] = (match.score, "; ".join(match.reasons))
    if len(found) < limit:
        for match in partner_suggest(text=query, limit=limit):
            found.setdefault(match.id, (match.score, ""))
    briefs = partner_briefs(found)
    ranked = sorted(found.items(), key=lambda item: -item[1][0])[:limit]
    return [
        {
            "id": pk,
            "name": briefs[pk][0],
            "status": briefs[pk][1],
            "score": round(score),
            "reasons": reasons,
            "url": partner_admin_url(pk),
        }
        for pk, (score, reasons) in ranked
        if pk in briefs
    ]


def partners_lazy(body, client, context):
    """Open the modal a subcommand needs (trigger ids last 3 s), or answer a search."""
    plan = plan_for(body.get("text", ""))
    if plan.error or plan.sub not in {"add", "edit", "log", "event", "find"}:
        return
    user = actor(context)
    if not user.has_perm(NEEDS[plan.sub]):
        return
    if plan.sub == "find":
        editable = user.has_perm(NEEDS["edit"])
        found = views.find_reply(plan.arg, find_rows(plan.arg), editable=editable)
        reply(body.get("response_url"), found)
        return
    if plan.sub == "edit":
        edit_command(body, client, query=plan.arg, rows=find_rows(plan.arg))
        return
    meta = {"channel": body.get("channel_id", ""), "response_url": body.get("response_url", "")}
    today = timezone.localdate().isoformat()
    if plan.sub == "add":
        view = modals.partner_add_modal(categories=service_categories(), metadata=meta)
    elif plan.sub == "log":
        view = modals.touchpoint_modal(metadata=meta, today=today)
    else:
        schools = [(s.pk, s.name) for s in schools_for_events(user)]
        if not schools:
            return
        view = modals.event_modal(schools=schools, metadata=meta, today=today)
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except Exception as err:  # noqa: BLE001 - any failure: tell the person, log why
        log.warning("Could not open the %s modal: %r", plan.sub, err)
        reply(body.get("response_url"), views.ephemeral(cannot_open(err)))


def cannot_open(error: Exception) -> str:
    return UNREACHABLE if is_unreachable(error) else "Sorry, I could not open the form."


def register(app) -> None:
    app.command(COMMAND)(ack=partners_ack, lazy=[partners_lazy, report_lazy])
