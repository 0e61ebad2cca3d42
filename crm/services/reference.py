"""Bulk, idempotent loading of the CDE district and school files and the fixed vocabularies.

Same rules as district_upsert/school_upsert (same fields, slugs and audit entries), but the
existing rows are read once and written with bulk_create/bulk_update so 2,326 schools take seconds.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from crm.imports import cells
from crm.imports.cde import cde_fields, cde_key, district_code_of
from crm.models import District, EquityFocusGroup, School, ServiceCategory
from crm.services.base import apply_changes, audit_record_many, check_channel, require_perm
from crm.services.bulk import check_fields
from crm.services.schools import DISTRICT_FIELDS, SCHOOL_FIELDS, _school_slug
from crm.services.vocabulary import service_category_default_pillars

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DISTRICTS_CSV = FIXTURES / "la_county_districts.csv"
SCHOOLS_CSV = FIXTURES / "la_county_schools.csv"

DISTRICT_COLUMNS = ("cds_code", "district", "district_type", "street", "city", "zip", "phone")
# A school's district is its own column in the reference file, read from its CDS code otherwise.
SCHOOL_COLUMNS = ("cds_code", "school", "street", "city", "zip", "charter")
CDS = re.compile(r"^\d{14}$")
MAX_REPORTED = 10

# (slug, English, Spanish): the service categories partners offer.
SERVICE_CATEGORIES = (
    ("health", "Health", "Salud"),
    ("mental-health", "Mental health", "Salud mental"),
    ("food-security", "Food security", "Seguridad alimentaria"),
    ("housing", "Housing", "Vivienda"),
    ("legal", "Legal services", "Servicios legales"),
    ("academic-support", "Academic support", "Apoyo académico"),
    ("arts", "Arts and culture", "Arte y cultura"),
    ("youth-development", "Youth development", "Desarrollo juvenil"),
    ("family-engagement", "Family engagement", "Participación familiar"),
    ("workforce", "Workforce and career", "Empleo y carreras"),
    ("early-childhood", "Early childhood", "Primera infancia"),
    ("sports-recreation", "Sports and recreation", "Deportes y recreación"),
    ("college-access", "College access", "Acceso a la universidad"),
    ("basic-needs", "Clothing and basic needs", "Ropa y necesidades básicas"),
    ("adult-education", "Adult education", "Educación para adultos"),
    ("digital-access", "Digital access", "Acceso digital"),
)
# (slug, English, Spanish): the equity focus groups partners serve.
EQUITY_FOCUS_GROUPS = (
    ("english-learners", "English learners", "Estudiantes de inglés"),
    ("foster-youth", "Foster youth", "Jóvenes en hogares de crianza"),
    ("homeless-youth", "Youth experiencing homelessness", "Jóvenes sin hogar"),
    ("justice-impacted", "Justice-impacted youth", "Jóvenes afectados por el sistema judicial"),
    ("disabilities", "Students with disabilities", "Estudiantes con discapacidades"),
    ("low-income", "Low-income families", "Familias de bajos ingresos"),
    ("newcomers", "Newcomer and immigrant families", "Familias recién llegadas e inmigrantes"),
    ("lgbtq", "LGBTQ+ youth", "Jóvenes LGBTQ+"),
    ("black-students", "Black students and families", "Estudiantes y familias afroamericanas"),
    ("native-youth", "American Indian and Alaska Native youth", "Jóvenes indígenas americanos"),
    ("military-families", "Military-connected families", "Familias de militares"),
)


class ReferenceDataError(ValidationError):
    """A reference file cannot be loaded; the message names every bad row (up to ten)."""


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ReferenceReport:
    districts: LoadCounts = field(default_factory=LoadCounts)
    schools: LoadCounts = field(default_factory=LoadCounts)
    service_categories: LoadCounts = field(default_factory=LoadCounts)
    equity_focus_groups: LoadCounts = field(default_factory=LoadCounts)

    @property
    def changed(self) -> bool:
        return any(
            c.created or c.updated
            for c in (
                self.districts,
                self.schools,
                self.service_categories,
                self.equity_focus_groups,
            )
        )


def _read(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a UTF-8 CSV in either CDE layout, keyed by field (cde_key);
    a missing file or column is a clear error."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            keys = [cde_key(h) for h in next(reader, [])]
            missing = [c for c in required if c not in keys]
            if missing:
                raise ReferenceDataError(f"{path.name}: missing column(s) {', '.join(missing)}.")
            rows = []
            for record in reader:
                if not any(record):
                    continue
                if len(record) > len(keys):
                    raise ReferenceDataError(
                        f"{path.name} line {reader.line_num}: more cells than the header has."
                    )
                padded = record + [""] * (len(keys) - len(record))
                row = {k: v.strip() for k, v in zip(keys, padded, strict=True)}
                rows.append((reader.line_num, row))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceDataError(f"Cannot read {path}: {exc}") from exc


def _cell_reader(row: dict[str, str]):
    """Read a typed cell of the row; a bad one stops the row with its message."""

    def read(column: str, reader, *args):
        try:
            return reader(row.get(column, ""), *args)
        except cells.CellError as exc:
            raise ValueError(str(exc)) from None

    return read


def _cde_data(row: dict[str, str], *, district: bool) -> dict:
    data = cde_fields(row, district=district, read=_cell_reader(row))
    data.setdefault("status", "Active")
    return data


def _district_data(row: dict[str, str]) -> dict:
    if not CDS.match(row["cds_code"]):
        raise ValueError(f"cds_code '{row['cds_code']}' is not 14 digits")
    if not row["district"]:
        raise ValueError("the district name is empty")
    return _cde_data(row, district=True)


def _school_data(row: dict[str, str], districts: dict[str, District]) -> dict:
    if not CDS.match(row["cds_code"]):
        raise ValueError(f"cds_code '{row['cds_code']}' is not 14 digits")
    if not row["school"]:
        raise ValueError("the school name is empty")
    district_code = row.get("district_cds_code") or district_code_of(row["cds_code"])
    district = districts.get(district_code)
    if district is None:
        raise ValueError(f"district_cds_code '{district_code}' is not a known district")
    if row["charter"] not in ("Y", "N"):
        raise ValueError(f"charter must be Y or N, not '{row['charter']}'")
    return {"district": district, **_cde_data(row, district=False)}


def _fail(name: str, problems: list[str]) -> None:
    if problems:
        more = len(problems) - MAX_REPORTED
        shown = problems[:MAX_REPORTED] + ([f"... and {more} more"] if more > 0 else [])
        raise ReferenceDataError(f"{name}: nothing was loaded.\n" + "\n".join(shown))


def _check(instance: models.Model, where: str, problems: list[str]) -> None:
    try:
        check_fields(instance)
    except ValidationError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        problems.append(f"{where}: {details}")


def _upsert_all(
    *,
    model: type[models.Model],
    rows: list[tuple[int, dict[str, str]]],
    build,
    allowed: set[str],
    file_name: str,
    on_save=None,
) -> tuple[list, list, list[tuple[models.Model, dict]], int]:
    """Compare every row with the stored record; (to create, to update, changes, unchanged)."""
    existing = {obj.cds_code: obj for obj in model.objects.all()}
    seen: dict[str, int] = {}
    problems: list[str] = []
    creates, updates, changed, unchanged = [], [], [], 0
    for line, row in rows:
        where = f"{file_name} line {line} (cds_code {row.get('cds_code') or '?'})"
        try:
            data = build(row)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        code = row["cds_code"]
        if code in seen:
            problems.append(f"{where}: the same cds_code is on line {seen[code]}")
            continue
        seen[code] = line
        obj = existing.get(code)
        created = obj is None
        obj = obj or model(cds_code=code)
        changes = apply_changes(obj, data, allowed=allowed)
        if not (created or changes):
            unchanged += 1
            continue
        if on_save:
            on_save(obj)
        _check(obj, where, problems)
        (creates if created else updates).append(obj)
        changed.append((obj, changes))
    _fail(file_name, problems)
    return creates, updates, changed, unchanged


def _audit(kind: str, created: list, changed: list[tuple[models.Model, dict]], actor, source: str):
    created_ids = {id(obj) for obj in created}
    audit_record_many(
        actor=actor,
        source=source,
        items=[
            (f"{kind}.create" if id(obj) in created_ids else f"{kind}.update", obj, changes)
            for obj, changes in changed
        ],
    )


def _write(model, kind: str, creates, updates, changed, actor, source: str) -> None:
    model.objects.bulk_create(creates, batch_size=500)
    if updates:
        fields = sorted({f for _, ch in changed for f in ch} | ({"slug"} & _field_names(model)))
        model.objects.bulk_update(updates, fields=fields, batch_size=500)
    _audit(kind, creates, changed, actor, source)


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _set_school_slug(school: School) -> None:
    school.slug = _school_slug(school.name, school.cds_code)


@transaction.atomic
def reference_load(
    *,
    actor,
    source: str,
    districts_path: Path = DISTRICTS_CSV,
    schools_path: Path = SCHOOLS_CSV,
) -> ReferenceReport:
    """Bring districts and schools up to date with the two files; all rows or none."""
    check_channel(source)
    for perm in (
        "add_district",
        "change_district",
        "add_school",
        "change_school",
        "add_servicecategory",
        "add_equityfocusgroup",
    ):
        require_perm(actor, f"crm.{perm}")
    districts_path, schools_path = Path(districts_path), Path(schools_path)
    district_rows = _read(districts_path, DISTRICT_COLUMNS)
    school_rows = _read(schools_path, SCHOOL_COLUMNS)
    report = ReferenceReport()

    creates, updates, changed, report.districts.unchanged = _upsert_all(
        model=District,
        rows=district_rows,
        build=_district_data,
        allowed=DISTRICT_FIELDS,
        file_name=districts_path.name,
    )
    _write(District, "district", creates, updates, changed, actor, source)
    report.districts.created, report.districts.updated = len(creates), len(updates)

    districts = {d.cds_code: d for d in District.objects.all()}
    creates, updates, changed, report.schools.unchanged = _upsert_all(
        model=School,
        rows=school_rows,
        build=lambda row: _school_data(row, districts),
        allowed=SCHOOL_FIELDS,
        file_name=schools_path.name,
        on_save=_set_school_slug,
    )
    _check_slugs(creates + updates, schools_path.name)
    _write(School, "school", creates, updates, changed, actor, source)
    report.schools.created, report.schools.updated = len(creates), len(updates)

    report.service_categories, report.equity_focus_groups = _vocabularies(actor, source)
    return report


def _check_slugs(schools: list[School], file_name: str) -> None:
    mine = {s.slug: s.cds_code for s in schools}
    if len(mine) < len(schools):
        raise ReferenceDataError(f"{file_name}: two schools would get the same web address.")
    taken = School.objects.filter(slug__in=list(mine)).exclude(cds_code__in=list(mine.values()))
    clash = taken.values_list("slug", flat=True).first()
    if clash:
        raise ReferenceDataError(
            f"{file_name}: the web address {clash} is taken by another school."
        )


def _vocabulary(model, kind: str, entries, actor, source: str) -> LoadCounts:
    existing = {obj.slug: obj for obj in model.objects.all()}
    counts, creates, updates, changed = LoadCounts(), [], [], []
    for slug, name, name_es in entries:
        obj = existing.get(slug)
        created = obj is None
        obj = obj or model(slug=slug)
        changes = apply_changes(
            obj, {"name": name, "name_es": name_es}, allowed={"name", "name_es"}
        )
        if not (created or changes):
            counts.unchanged += 1
            continue
        (creates if created else updates).append(obj)
        changed.append((obj, changes))
    model.objects.bulk_create(creates)
    if model is ServiceCategory:
        tagged = service_category_default_pillars(creates)
        for obj, changes in changed:
            if tagged.get(obj.pk):
                changes["pillars"] = [[], tagged[obj.pk]]
    if updates:
        model.objects.bulk_update(updates, fields=["name", "name_es"])
    _audit(kind, creates, changed, actor, source)
    counts.created, counts.updated = len(creates), len(updates)
    return counts


def _vocabularies(actor, source: str) -> tuple[LoadCounts, LoadCounts]:
    return (
        _vocabulary(ServiceCategory, "servicecategory", SERVICE_CATEGORIES, actor, source),
        _vocabulary(EquityFocusGroup, "equityfocusgroup", EQUITY_FOCUS_GROUPS, actor, source),
    )


@transaction.atomic
def vocabularies_seed(*, actor, source: str) -> tuple[LoadCounts, LoadCounts]:
    """Create or refresh the service categories and equity focus groups (idempotent)."""
    check_channel(source)
    require_perm(actor, "crm.add_servicecategory")
    require_perm(actor, "crm.add_equityfocusgroup")
    return _vocabularies(actor, source)
