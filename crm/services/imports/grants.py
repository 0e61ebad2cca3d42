"""CCSPP grants from a spreadsheet: one row per school, grant type and cohort."""

from __future__ import annotations

from crm.imports import cells
from crm.imports.columns import GRANT_COLUMNS
from crm.models import CommunitySchoolGrant, GrantStatus, GrantType
from crm.services.imports.rows import (
    UPDATE,
    Context,
    KindSpec,
    Row,
    cell_value,
    model_errors,
    record_writer,
    row_school,
)
from crm.services.schools import grant_create, grant_update


def _analyse_grants(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        school = row_school(row, ctx)
        v = {
            "grant_type": cell_value(
                row, ctx, "grant_type", cells.choice, GrantType, required=True
            ),
            "cohort": cell_value(row, ctx, "cohort", cells.integer, required=True),
            "start_date": cell_value(row, ctx, "start_date", cells.date, required=True),
            "end_date": cell_value(row, ctx, "end_date", cells.date, required=True),
            "amount": cell_value(row, ctx, "amount", cells.decimal) or cells.Decimal("0"),
        }
        if row.cells.get("status", "").strip():
            v["status"] = cell_value(row, ctx, "status", cells.choice, GrantStatus)
        if row.errors:
            continue
        row.values = {"school": school, **v}
        row.label = f"{school} · {v['grant_type']} cohort {v['cohort']}"
        keys[(school.pk, v["grant_type"], v["cohort"])] = row
        model_errors(row, ctx, CommunitySchoolGrant(**row.values), exclude=())
    existing = CommunitySchoolGrant.objects.filter(school_id__in={k[0] for k in keys}).values_list(
        "school_id", "grant_type", "cohort", "id"
    )
    for school_id, grant_type, cohort, pk in existing:
        row = keys.get((school_id, grant_type, cohort))
        if row is not None and not row.errors:
            row.status, row.target = UPDATE, pk


SPEC = KindSpec(
    "grants",
    "CCSPP grants",
    "crm.add_communityschoolgrant",
    GRANT_COLUMNS.required,
    GRANT_COLUMNS.optional,
    _analyse_grants,
    record_writer(
        model=CommunitySchoolGrant,
        create=grant_create,
        update=grant_update,
        create_only=("school",),
        record="grant",
    ),
)
