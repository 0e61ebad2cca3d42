"""Partnerships from a spreadsheet: a partner (by EIN, website or name), dates, schools."""

from __future__ import annotations

from typing import Any

from crm.imports import cells
from crm.imports.columns import PARTNERSHIP_COLUMNS
from crm.models import AgreementType, Partnership, PartnershipScope, PartnershipStatus
from crm.services.activity import partnership_create, partnership_update
from crm.services.imports.rows import (
    Context,
    KindSpec,
    Row,
    cell_value,
    mark_existing,
    model_errors,
    record_writer,
    row_partner_id,
)


def _analyse_partnerships(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        partner_id = row_partner_id(row, ctx)
        v: dict[str, Any] = {
            "title": cells.text(row.cells.get("title", "")),
            "start_date": cell_value(row, ctx, "start_date", cells.date, required=True),
            "end_date": cell_value(row, ctx, "end_date", cells.date),
            "strategic": bool(cell_value(row, ctx, "strategic", cells.boolean)),
            "notes": (row.cells.get("notes") or "").strip(),
        }
        for col, choices in (
            ("scope", PartnershipScope),
            ("status", PartnershipStatus),
            ("agreement_type", AgreementType),
        ):
            if row.cells.get(col, "").strip():
                v[col] = cell_value(row, ctx, col, cells.choice, choices)
        schools = []
        for code in cells.many(row.cells.get("school_cds_codes", "")):
            school = ctx.schools.get(code)
            if school is None:
                row.error(ctx.column("school_cds_codes"), f"No school has CDS code {code}.")
            schools.append(school)
        if row.errors:
            continue
        row.values = {"partner_id": partner_id, "schools": schools, **v}
        row.label = f"{ctx.partners[cells.text(row.cells['partner'])][1]} from {v['start_date']}"
        probe = {k: val for k, val in v.items() if k != "schools"}
        model_errors(row, ctx, Partnership(partner_id=partner_id, **probe), exclude=("partner",))
        keys[(partner_id, v["start_date"], v["title"])] = row
    mark_existing(keys, Partnership, ("partner_id", "start_date", "title"))


SPEC = KindSpec(
    "partnerships",
    "partnerships",
    "crm.add_partnership",
    PARTNERSHIP_COLUMNS.required,
    PARTNERSHIP_COLUMNS.optional,
    _analyse_partnerships,
    record_writer(
        model=Partnership,
        create=partnership_create,
        update=partnership_update,
        relations=("schools",),
        create_only=("partner_id",),
    ),
)
