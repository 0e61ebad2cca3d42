"""The pickers' typeahead: partners (live matches with status and score) and places."""

from __future__ import annotations

from bots import views
from crm.selectors.catalog import partner_briefs, partner_typeahead, place_suggest


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


def register(app) -> None:
    app.options(views.PARTNER_PICK)(partner_pick_options)
    app.options(views.PARTNER_MULTI)(partner_multi_options)
    app.options(views.PLACE_PICK)(place_options)
