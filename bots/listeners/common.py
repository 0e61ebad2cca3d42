"""What every listener shares: the acting staff user, form values, metadata and error wording."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from bots import views
from bots.idempotency import run_once
from bots.respond import update_view

SOURCE = "slack"
NO_PERMISSION = "Sorry, your role does not allow this in Partnerbase."


def actor(context):
    """The staff user the identity middleware resolved for this request (with groups loaded)."""
    return get_user_model().objects.prefetch_related("groups").get(pk=context["staff_id"])


def form_values(view: dict) -> dict:
    """{block_id: value} from a submitted view's state, one plain value per input."""
    out = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        for element in actions.values():
            out[block_id] = _element_value(element)
    return out


def _element_value(element: dict):
    kind = element.get("type")
    if kind in {"static_select", "external_select"}:
        selected = element.get("selected_option")
        return selected["value"] if selected else None
    if kind in {"multi_static_select", "multi_external_select", "checkboxes"}:
        return [o["value"] for o in element.get("selected_options") or []]
    if kind == "datepicker":
        return element.get("selected_date")
    value = element.get("value")
    return value.strip() if isinstance(value, str) else value


def metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parse_count(value, *, label: str, errors: dict, block_id: str) -> int:
    """A whole number ≥ 0 from a number input; a wrong one is noted in `errors`."""
    if value in (None, ""):
        return 0
    try:
        number = int(str(value))
    except ValueError:
        errors[block_id] = f"{label} must be a whole number."
        return 0
    if number < 0:
        errors[block_id] = f"{label} cannot be negative."
    return number


def explain(error: Exception) -> str:
    """A service error in words for a Slack message (mrkdwn-escaped: it may quote input)."""
    return views.problem(_explain(error))


def _explain(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return NO_PERMISSION + (f" ({error})" if str(error) else "")
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return " ".join(f"{m}" for msgs in error.message_dict.values() for m in msgs)
        return " ".join(error.messages)
    return str(error)


# What a modal says when its save failed unexpectedly (everything was rolled back).
FAILED = "Something went wrong and nothing was saved. Please try again in a minute."


def save_in_modal(client, *, view_id: str, title: str, key: str, kind: str, slack_user: str, work):
    """Run `work` once per `key` for a modal that says "Saving…"; a refusal or failure is said in
    the modal in words. Returns the result to show, or None when the modal already says why not."""
    try:
        _, result = run_once(key, kind=kind, slack_user_id=slack_user, work=work)
    except (PermissionDenied, ValidationError) as err:
        update_view(client, view_id=view_id, view=views.message_view(title, explain(err)))
        return None
    except Exception:
        update_view(client, view_id=view_id, view=views.message_view(title, FAILED))
        raise
    return result
