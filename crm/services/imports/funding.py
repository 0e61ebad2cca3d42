"""Funding rows from a spreadsheet: source, amount, fiscal year, perhaps a partner or school."""

from __future__ import annotations

from crm.imports import cells
from crm.imports.columns import FUNDING_COLUMNS
from crm.models import Funding
from crm.services.activity import funding_create, funding_update
from crm.services.imports.rows import (
    Context,
    KindSpec,
    Row,
    cell_value,
    mark_existing,
    model_errors,
    record_writer,
    row_partner_id,
    row_school,
)


def _analyse_funding(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        partner_id = row_partner_id(row, ctx, required=False)
        school = row_school(row, ctx, required=False)
        v = {
            "source_name": cell_value(row, ctx, "source", required=True),
            "amount": cell_value(row, ctx, "amount", cells.decimal, required=True),
            "fiscal_year": cell_value(row, ctx, "fiscal_year", cells.fiscal_year, required=True),
            "received_on": cell_value(row, ctx, "received_on", cells.date),
            "supports": cells.text(row.cells.get("supports", "")),
        }
        if row.errors:
            continue
        row.values = {"partner_id": partner_id, "school": school, **v}
        row.label = f"{v['source_name']} · ${v['amount']:,.0f}"
        probe = {k: val for k, val in v.items() if k != "source_name"}
        model_errors(
            row,
            ctx,
            Funding(source=v["source_name"], partner_id=partner_id, school=school, **probe),
            exclude=("partner",),
        )
        keys[(v["source_name"], v["fiscal_year"], partner_id, school.pk if school else None)] = row
    mark_existing(keys, Funding, ("source", "fiscal_year", "partner_id", "school_id"))


SPEC = KindSpec(
    "funding",
    "funding",
    "crm.add_funding",
    FUNDING_COLUMNS.required,
    FUNDING_COLUMNS.optional,
    _analyse_funding,
    record_writer(
        model=Funding,
        create=funding_create,
        update=funding_update,
        renamed_on_update={"source_name": "source"},
    ),
)
