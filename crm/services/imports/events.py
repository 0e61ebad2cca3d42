"""Events at a school from a spreadsheet, with the partners that took part."""

from __future__ import annotations

from crm.imports import cells
from crm.imports.columns import EVENT_COLUMNS
from crm.models import Event, EventKind
from crm.services.activity import event_create, event_update
from crm.services.imports.rows import (
    Context,
    KindSpec,
    Row,
    cell_value,
    mark_existing,
    model_errors,
    note_fuzzy,
    record_writer,
    row_school,
)


def _analyse_events(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        school = row_school(row, ctx)
        v = {
            "kind": cell_value(row, ctx, "kind", cells.choice, EventKind, required=True),
            "date": cell_value(row, ctx, "date", cells.date, required=True),
            "title": cells.text(row.cells.get("title", "")),
            "participants": cell_value(row, ctx, "participants", cells.integer) or 0,
            "items_distributed": cell_value(row, ctx, "items_distributed", cells.integer) or 0,
            "notes": (row.cells.get("notes") or "").strip(),
        }
        partner_ids = []
        for ref in cells.many(row.cells.get("partners", "")):
            pk, why = ctx.partners.get(ref, (None, f"No partner matches “{ref}”."))
            if pk is None:
                row.error(ctx.column("partners"), why)
            note_fuzzy(row, ctx, "partners", ref)
            partner_ids.append(pk)
        if row.errors:
            continue
        row.values = {"school": school, "partner_ids": partner_ids, **v}
        row.label = v["title"] or f"{EventKind(v['kind']).label} at {school} on {v['date']}"
        model_errors(row, ctx, Event(school=school, **v), exclude=("recorded_by",))
        keys[(school.pk, v["date"], v["kind"], v["title"])] = row
    mark_existing(keys, Event, ("school_id", "date", "kind", "title"))


SPEC = KindSpec(
    "events",
    "events",
    "crm.add_event",
    EVENT_COLUMNS.required,
    EVENT_COLUMNS.optional,
    _analyse_events,
    record_writer(model=Event, create=event_create, update=event_update, relations=("partners",)),
)
