"""`/partners event`: a site coordinator records an event at one of their schools."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from bots import views
from bots.idempotency import run_once
from bots.links import event_admin_url
from bots.listeners.common import (
    SOURCE,
    actor,
    explain,
    form_values,
    parse_count,
    parse_date,
)
from crm.models import EventKind, School
from crm.selectors.catalog import live_partners
from crm.services.activity import event_create

TITLE = "Record an event"


def read_event_form(view: dict) -> tuple[dict, dict]:
    values = form_values(view)
    errors: dict[str, str] = {}
    school = values.get("school") or ""
    if not school.isdigit():
        errors["school"] = "Pick one of your schools."
    kind = values.get("kind") or ""
    if kind not in EventKind.values:
        errors["kind"] = "Pick the kind of event."
    try:
        date = parse_date(values.get("date"))
    except ValueError:
        date = None
    if date is None:
        errors["date"] = "Pick the date from the calendar."
    form = {
        "school_id": int(school) if school.isdigit() else None,
        "kind": kind,
        "title": values.get("title") or "",
        "date": date,
        "participants": parse_count(
            values.get("participants"), label="Participants", errors=errors, block_id="participants"
        ),
        "items": parse_count(
            values.get("items"), label="Items distributed", errors=errors, block_id="items"
        ),
        "partner_ids": [
            int(v[2:]) for v in values.get("partners") or [] if v.startswith(views.PARTNER_PREFIX)
        ],
    }
    return form, errors


def event_submit(ack, body, context, view):
    """Write the event once per submitted view; the service checks the school is theirs."""
    form, errors = read_event_form(view)
    if errors:
        return ack(response_action="errors", errors=errors)
    user = actor(context)

    def work() -> dict:
        event = event_create(
            school=School.objects.get(pk=form["school_id"]),
            kind=form["kind"],
            title=form["title"],
            date=form["date"],
            participants=form["participants"],
            items_distributed=form["items"],
            partners=live_partners(form["partner_ids"]),
            actor=user,
            source=SOURCE,
        )
        return {"event_id": event.pk, "school": event.school.name}

    try:
        _, result = run_once(
            f"view:{view['id']}:{view.get('hash', '')}",
            kind="event_record",
            slack_user_id=body["user"]["id"],
            work=work,
        )
    except School.DoesNotExist:
        return ack(response_action="errors", errors={"school": "Pick one of your schools."})
    except PermissionDenied as err:
        return ack(response_action="errors", errors={"school": explain(err)})
    except ValidationError as err:
        return ack(response_action="update", view=views.message_view(TITLE, explain(err)))
    message = views.event_recorded(url=event_admin_url(result["event_id"]), school=result["school"])
    ack(response_action="update", view=views.message_view(TITLE, message))


def register(app) -> None:
    app.view(views.EVENT_CALLBACK)(event_submit)
