"""Progress pack faces (command, admin page, downloads), needs and assets in the admin, and the
gap view: same numbers in every format, scoped by role, bad input refused with a message."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from crm.models import SchoolNeed
from crm.reports import pack_render
from crm.reports.render import cell_text
from crm.selectors.packs import school_pack
from tests.crm.reports.test_report_faces import pdf_strings

FY = 2025
PACKS = "/admin/ccspp/packs/"
GAPS = "/admin/ccspp/gaps/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-11-30 12:00Z"):
        yield


def _cells(pack) -> list[str]:
    return [
        cell_text(c)
        for t in pack_render.pack_tables(pack)
        if t.header != ("Definition",)
        for row in t.rows
        for c in row
    ]


def test_every_format_shows_the_same_pack(ccspp, tmp_path):
    pack = school_pack(school=ccspp.world.roosevelt, fiscal_year=FY)
    text = io.StringIO()
    code = ccspp.world.roosevelt.cds_code
    call_command("ccspp_report", school=code, fy="2024-25", stdout=text)
    for cell in _cells(pack):
        assert cell in text.getvalue()
    for fmt in ("csv", "xlsx", "pdf"):
        call_command(
            "ccspp_report", school=code, fy="2024-25", format=fmt, output=str(tmp_path / f"p.{fmt}")
        )
    csv_cells = {c for row in csv.reader(open(tmp_path / "p.csv", encoding="utf-8")) for c in row}
    book = load_workbook(tmp_path / "p.xlsx")
    xlsx_cells = {
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
    }
    pdf_text = " ".join(pdf_strings((tmp_path / "p.pdf").read_bytes()))
    assert "Referrals closed-loop outcomes" in book.sheetnames
    for label, number in (("Individuals referred", "11"), ("Completed", "fewer than 11")):
        assert label in csv_cells and number in csv_cells and number in xlsx_cells
        assert label in pdf_text
    assert "1200000" in xlsx_cells or "1200000.00" in xlsx_cells
    assert "1,200,000.00" in pdf_text


def test_packs_hold_no_student_identifiers(ccspp):
    pack = school_pack(school=ccspp.world.roosevelt, fiscal_year=FY)
    for rendered in (pack_render.pack_text(pack), pack_render.pack_csv(pack)):
        assert "ROOS-" not in rendered


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"school": "19999999999999"}, "No school has the CDS code"),
        ({"district": "19999990000000"}, "No district has the CDS code"),
        ({"county": True, "fy": "2027-28"}, "has not started yet"),
        ({"county": True, "fy": "last year"}, "is not a fiscal year"),
        ({"county": True, "format": "pdf"}, "give --output FILE"),
    ],
)
def test_the_command_refuses_bad_input_with_a_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ccspp_report", **{"fy": "2024-25", **args})


@pytest.mark.parametrize(
    ("persona", "school", "page", "download"),
    [
        ("cora", "roosevelt", 200, 200),
        ("omar", "garfield", 200, 200),
        ("lee", "garfield", 200, 200),
        ("ana", "roosevelt", 200, 200),
        # Not among her choices: the form says so and nothing is shown.
        ("cora", "garfield", 200, 400),
        # Partnership staff pull no packs: Wagtail sends them back to the dashboard.
        ("pat", "roosevelt", 302, 302),
    ],
)
def test_pack_page_and_downloads_follow_the_role(ccspp, client, persona, school, page, download):
    w = ccspp.world
    client.force_login(getattr(w, persona))
    query = {"school": getattr(w, school).pk, "fy": "2024-25"}
    response = client.get(PACKS, query)
    assert response.status_code == page
    shown = "Individuals referred" in response.content.decode()
    assert shown is (download == 200)
    file = client.get(PACKS + "download/csv/", query)
    assert file.status_code == download
    if download == 200:
        assert file["Content-Disposition"].startswith("attachment;")


def test_district_and_county_packs_are_for_leadership_and_administrators(ccspp, client):
    w = ccspp.world
    client.force_login(w.cora)
    page = client.get(PACKS, {"district": w.east.pk, "fy": "2024-25"}).content.decode()
    assert "District (LEA)" not in page and "Individuals referred" not in page
    assert client.get(PACKS + "download/csv/", {"fy": "2024-25"}).status_code == 302
    client.force_login(w.lee)
    page = client.get(PACKS, {"district": w.east.pk, "fy": "2024-25"}).content.decode()
    assert "Lincoln Middle" in page and "Unmet needs" in page
    county = client.get(PACKS + "download/xlsx/", {"fy": "2024-25"})
    assert county.status_code == 200
    assert "Schools" in load_workbook(io.BytesIO(county.content)).sheetnames


def test_a_future_year_on_the_download_is_refused_with_a_message(ccspp, client):
    client.force_login(ccspp.world.lee)
    response = client.get(PACKS + "download/pdf/", {"fy": "2030-31"})
    assert response.status_code == 400


def test_the_gap_view_puts_unmet_needs_first_and_scopes_schools(ccspp, client):
    w = ccspp.world
    client.force_login(w.lee)
    html = client.get(GAPS, {"fy": "2025"}).content.decode()
    assert html.index("Lincoln Middle") < html.index("Garfield Elementary")
    assert html.count("<strong>Unmet</strong>") == 2
    assert "Transportation to after-school programs" in html
    client.force_login(w.cora)
    html = client.get(GAPS, {"fy": "2025"}).content.decode()
    assert "Roosevelt High" in html and "Lincoln Middle" not in html
    client.force_login(w.pat)
    assert client.get(GAPS).status_code == 302


def test_a_coordinator_records_needs_for_her_schools_only(ccspp, client):
    w = ccspp.world
    client.force_login(w.cora)
    form = {
        "school": w.roosevelt.pk,
        "fiscal_year": 2026,
        "category": ccspp.legal.pk,
        "description": "",
        "priority": "high",
        "source": "listening_session",
    }
    assert client.post("/admin/ccspp/needs/new/", form).status_code == 302
    before = SchoolNeed.objects.count()
    response = client.post("/admin/ccspp/needs/new/", {**form, "school": w.garfield.pk})
    assert response.status_code == 200 and SchoolNeed.objects.count() == before
    empty = {**form, "category": "", "description": "  "}
    response = client.post("/admin/ccspp/needs/new/", empty)
    assert "Name the need" in response.content.decode()
    assert SchoolNeed.objects.count() == before
    others = client.get("/admin/ccspp/needs/").content.decode()
    assert "Garfield" not in others
