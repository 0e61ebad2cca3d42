"""Partner service details in the partner file: exported, imported back unchanged (update and
create), read from codes or labels, and refused cell by cell with nothing written."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from crm.models import Partner
from crm.models.editable import PARTNER_SERVICE_FIELDS
from crm.services.exports import export_file
from crm.services.imports import ERROR, import_file
from crm.services.partners import partner_update
from tests.factories import SERVICE_DETAILS, SYSTEM, make_partner

# Every detail stated, a capacity of 0 included (a value, not a blank).
DETAILS = {**SERVICE_DETAILS, "monthly_capacity": 0, "eligibility_notes_es": "Familias inscritas."}
OTHER = {
    "accepting_referrals": "accepting",
    "monthly_capacity": 40,
    "languages": ["en"],
    "grades_from": "6",
    "grades_to": "12",
    "hours": "Saturdays",
    "hours_es": "sábados",
    "cost": "fee",
    "eligibility": [],
    "eligibility_notes": "",
    "eligibility_notes_es": "",
}


def details(partner: Partner) -> dict:
    partner.refresh_from_db()
    return {f: getattr(partner, f) for f in PARTNER_SERVICE_FIELDS}


def rows_of(content: bytes, fmt: str) -> list[dict]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    header, *rows = openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_with_its_service_details(world, fmt):
    clinic = make_partner("Eastside Family Clinic", **DETAILS)
    content, _, name = export_file(kind="partners", user=world.pat, fmt=fmt)
    row = rows_of(content, fmt)[0]
    assert row["languages"] == "en; es; ko"
    assert row["eligibility"] == "any_immigration_status; no_insurance_needed"
    assert row["hours_es"] == DETAILS["hours_es"]

    partner_update(partner=clinic, data=OTHER, **SYSTEM)
    assert details(clinic) == OTHER
    report = import_file(kind="partners", data=content, filename=name, actor=world.pat)
    assert report.written, report.as_dict()
    assert details(clinic) == DETAILS

    Partner.objects.filter(pk=clinic.pk).delete()
    report = import_file(kind="partners", data=content, filename=name, actor=world.pat)
    assert report.written and report.counts["created"] == 1, report.as_dict()
    assert details(Partner.objects.get(name="Eastside Family Clinic")) == DETAILS


def test_service_details_read_from_labels_and_blank_cells_keep_what_is_stored(world):
    clinic = make_partner("Eastside Family Clinic", **DETAILS)
    report = import_file(
        kind="partners",
        data=csv_bytes(
            [
                ["name", "languages", "grades_from", "grades_to", "cost", "hours", "eligibility"],
                ["Eastside Family Clinic", "Spanish | Korean", "Grade 3", "", "", "", ""],
                ["Harbor Food Bank", "english; SPANISH", "Preschool", "Grade 2", "Free", "", ""],
            ]
        ),
        filename="p.csv",
        actor=world.pat,
    )
    assert report.written, report.as_dict()
    assert details(clinic) == {**DETAILS, "languages": ["es", "ko"], "grades_from": "3"}
    food = Partner.objects.get(name="Harbor Food Bank")
    assert (food.languages, food.grades_from, food.grades_to, food.cost) == (
        ["en", "es"],
        "pk",
        "2",
        "free",
    )
    assert food.accepting_referrals == "" and food.monthly_capacity is None


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("languages", "en; Klingon", "is not one of"),
        ("eligibility", "rich only", "is not one of"),
        ("accepting_referrals", "maybe", "is not one of"),
        ("cost", "cheap", "is not one of"),
        ("grades_from", "13", "is not one of"),
        ("monthly_capacity", "-4", "below 0"),
        ("monthly_capacity", "many", "is not a number"),
        ("monthly_capacity", "2.5", "not a whole number"),
        ("hours", "x" * 300, "at most 255 characters"),
    ],
)
def test_a_bad_service_detail_is_a_row_error_and_nothing_is_written(world, column, cell, message):
    report = import_file(
        kind="partners",
        data=csv_bytes([["name", "city", column], ["Harbor Food Bank", "San Pedro", cell]]),
        filename="p.csv",
        actor=world.pat,
    )
    assert not report.written
    (row,) = report.rows
    assert row.status == ERROR
    assert [c for c, _ in row.errors] == [column], row.errors
    assert message in row.errors[0][1]
    assert not Partner.objects.exists()


def test_grades_out_of_order_name_the_last_grade(world):
    report = import_file(
        kind="partners",
        data=csv_bytes([["name", "grades_from", "grades_to"], ["Harbor Food Bank", "9", "k"]]),
        filename="p.csv",
        actor=world.pat,
    )
    assert not report.written
    assert report.rows[0].errors == [["grades_to", "The last grade served comes before the first."]]
    assert not Partner.objects.exists()


def test_exported_service_text_is_neutralised(world):
    make_partner("Harbor Food Bank", hours='=HYPERLINK("http://evil","x")', eligibility_notes="@x")
    content, _, _ = export_file(kind="partners", user=world.pat, fmt="csv")
    row = rows_of(content, "csv")[0]
    assert row["hours"] == "'" + '=HYPERLINK("http://evil","x")'
    assert row["eligibility_notes"] == "'@x"
