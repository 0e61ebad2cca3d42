"""Schools and districts from the CDE "Public Schools and Districts" layout; a row whose CDS code
ends in seven zeros (or has no school name) is its district."""

from __future__ import annotations

from collections import Counter

from crm.imports import cells
from crm.models import District, School
from crm.services.imports.rows import (
    CREATE,
    NEW,
    UPDATE,
    Context,
    KindSpec,
    Row,
    cell_value,
    header_key,
    model_errors,
    row_guard,
)
from crm.services.schools import district_upsert, school_upsert

# The CDE "Public Schools and Districts" export has many more columns than Partnerbase keeps.
CDE_IGNORED = frozenset(
    header_key(c)
    for c in (
        "NCESDist NCESSchool County StreetAbr State MailStreet MailStrAbr MailCity MailZip "
        "MailState Ext FaxNumber Email OpenDate ClosedDate CharterNum FundingType DOC SOC "
        "EdOpsCode EdOpsName EILCode EILName GSoffered Virtual Magnet YearRoundYN "
        "FederalDFCDistrictID AdmFName1 AdmLName1 AdmEmail1 AdmFName2 AdmLName2 AdmEmail2 "
        "AdmFName3 AdmLName3 AdmEmail3 LastUpDate"
    ).split()
)
SCHOOL_REQUIRED = ("cdscode", "district", "school")
SCHOOL_OPTIONAL = (
    "street",
    "city",
    "zip",
    "phone",
    "website",
    "statustype",
    "doctype",
    "soctype",
    "gsserved",
    "charter",
    "latitude",
    "longitude",
)


def _coordinate(row: Row, ctx: Context, col: str, limit: int):
    number = cell_value(row, ctx, col, cells.decimal, None)
    if number is not None and abs(number) > limit:
        row.error(ctx.column(col), f"{number} is outside -{limit}..{limit}.")
        return None
    return number.quantize(cells.Decimal("0.000001")) if number is not None else None


def _analyse_schools(rows: list[Row], ctx: Context) -> None:
    codes = set()
    for row in rows:
        if row.errors:
            continue
        code = cell_value(row, ctx, "cdscode", cells.cds_code, required=True)
        name = cells.text(row.cells.get("school", ""))
        district_name = cell_value(row, ctx, "district", required=True)
        is_district = code is not None and (code.endswith("0000000") or name in ("", "No Data"))
        if not is_district and not name:
            row.error(ctx.column("school"), "This column is required.")
        charter = row.cells.get("charter", "").strip()
        data = {
            "street": cells.text(row.cells.get("street", "")),
            "city": cells.text(row.cells.get("city", "")),
            "zip": cells.text(row.cells.get("zip", "")),
            "phone": cells.text(row.cells.get("phone", "")),
            "website": cells.text(row.cells.get("website", "")),
            "latitude": _coordinate(row, ctx, "latitude", 90),
            "longitude": _coordinate(row, ctx, "longitude", 180),
        }
        status = cells.text(row.cells.get("statustype", ""))
        if status:
            data["status"] = status
        if is_district:
            data.update(name=district_name, district_type=cells.text(row.cells.get("doctype", "")))
            row.label = f"District {district_name}"
        else:
            data.update(
                name=name,
                school_type=cells.text(row.cells.get("soctype", "")),
                grades=cells.text(row.cells.get("gsserved", "")),
                charter=bool(cell_value(row, ctx, "charter", cells.boolean)) if charter else False,
            )
            row.label = name
        row.values = {
            "code": code,
            "district": is_district,
            "district_name": district_name,
            "data": data,
        }
        if code:
            codes.add(code)
            codes.add(code[:7] + "0000000")
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
            row.error(ctx.column("cdscode"), f"CDS code {code} appears on an earlier row too.")
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
                district_code = v["code"][:7] + "0000000"
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
)
