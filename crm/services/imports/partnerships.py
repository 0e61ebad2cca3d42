"""Partnerships from a spreadsheet: a partner (by EIN, website or name), dates, schools."""

from __future__ import annotations

from functools import partial
from typing import Any

from crm.imports import cells
from crm.models import AgreementType, Partner, Partnership, PartnershipScope, PartnershipStatus
from crm.services.activity import partnership_create, partnership_update
from crm.services.imports.rows import (
    CREATE,
    Context,
    KindSpec,
    Row,
    cell_value,
    mark_existing,
    model_errors,
    row_partner_id,
    write_each,
)

PARTNERSHIP_REQUIRED = ("partner", "start_date")
PARTNERSHIP_OPTIONAL = (
    "title",
    "scope",
    "end_date",
    "status",
    "strategic",
    "agreement_type",
    "school_cds_codes",
    "notes",
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


def _write_partnership(row: Row, ctx: Context, decision: str, v: dict) -> None:
    schools = v.pop("schools")
    partner_id = v.pop("partner_id")
    if decision == CREATE:
        partnership_create(
            partner=Partner.objects.get(pk=partner_id),
            actor=ctx.actor,
            source=ctx.source,
            schools=schools,
            **v,
        )
        return
    partnership_update(
        partnership=Partnership.objects.get(pk=row.target),
        actor=ctx.actor,
        source=ctx.source,
        data=v,
        schools=schools or None,
    )


SPEC = KindSpec(
    "partnerships",
    "partnerships",
    "crm.add_partnership",
    PARTNERSHIP_REQUIRED,
    PARTNERSHIP_OPTIONAL,
    _analyse_partnerships,
    partial(write_each, write=_write_partnership),
)
