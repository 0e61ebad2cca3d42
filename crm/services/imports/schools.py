"""Schools and districts from a CDE "Public Schools and Districts" file (the export's headers or
the reference files'); a row whose CDS code ends in seven zeros (or has no school) is a district."""

from __future__ import annotations

from collections import Counter
from functools import partial

from crm.imports import cells
from crm.imports.cde import CDE_ALIASES, CDE_IGNORED, cde_fields, district_code_of
from crm.models import District, School
from crm.services.imports.rows import (
    CREATE,
    NEW,
    UPDATE,
    Context,
    KindSpec,
    Row,
    cell_value,
    model_errors,
    row_guard,
)
from crm.services.schools import district_upsert, school_upsert

SCHOOL_REQUIRED = ("cds_code", "district", "school")
SCHOOL_OPTIONAL = (
    "street",
    "city",
    "zip",
    "phone",
    "website",
    "status",
    "district_type",
    "school_type",
    "grades_served",
    "charter",
    "latitude",
    "longitude",
)


def _analyse_schools(rows: list[Row], ctx: Context) -> None:
    codes = set()
    for row in rows:
        if row.errors:
            continue
        code = cell_value(row, ctx, "cds_code", cells.cds_code, required=True)
        name = cells.text(row.cells.get("school", ""))
        district_name = cell_value(row, ctx, "district", required=True)
        is_district = code is not None and (code.endswith("0000000") or name in ("", "No Data"))
        if not is_district and not name:
            row.error(ctx.column("school"), "This column is required.")
        data = cde_fields(
            row.cells,
            district=is_district,
            read=partial(cell_value, row, ctx),
        )
        row.label = f"District {district_name}" if is_district else name
        row.values = {
            "code": code,
            "district": is_district,
            "district_name": district_name,
            "data": data,
        }
        if code:
            codes.add(code)
            codes.add(district_code_of(code))
    valid = [r for r in rows if not r.errors]
    existing_schools = set(
        School.objects.filter(cds_code__in=codes).values_list("cds_code", flat=True)
    )
    existing_districts = set(
        District.objects.filter(cds_code__in=codes).values_list("cds_code", flat=True)
    )
    seen = set()
    for row in valid:
        code = row.values["code"]
        if code in seen:
            row.error(ctx.column("cds_code"), f"CDS code {code} appears on an earlier row too.")
            continue
        seen.add(code)
        table = existing_districts if row.values["district"] else existing_schools
        row.status = UPDATE if code in table else NEW
        probe_cls = District if row.values["district"] else School
        data = dict(row.values["data"])
        probe = probe_cls(cds_code=code, **data)
        model_errors(
            row,
            ctx,
            probe,
            exclude=("district", "slug"),
            columns={"name": "school" if not row.values["district"] else "district"},
        )


def _write_schools(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    todo = [r for r in rows if decisions.get(r.number) in (CREATE, UPDATE)]
    # Districts first, so the schools below can point at them.
    for row in sorted(todo, key=lambda r: not r.values["district"]):
        with row_guard(row):
            v = row.values
            if v["district"]:
                _, changed = district_upsert(
                    cds_code=v["code"], data=v["data"], actor=ctx.actor, source=ctx.source
                )
            else:
                district_code = district_code_of(v["code"])
                district = District.objects.filter(cds_code=district_code).first()
                if district is None:
                    district, _ = district_upsert(
                        cds_code=district_code,
                        data={"name": v["district_name"]},
                        actor=ctx.actor,
                        source=ctx.source,
                    )
                _, changed = school_upsert(
                    cds_code=v["code"],
                    data={**v["data"], "district": district},
                    actor=ctx.actor,
                    source=ctx.source,
                )
            counts["created" if row.status == NEW else "updated"] += 1 if changed else 0
            counts["unchanged"] += 0 if changed else 1
    return counts


SPEC = KindSpec(
    "schools",
    "schools (CDE layout)",
    "crm.add_school",
    SCHOOL_REQUIRED,
    SCHOOL_OPTIONAL,
    _analyse_schools,
    _write_schools,
    ignored=CDE_IGNORED,
    aliases=CDE_ALIASES,
)
