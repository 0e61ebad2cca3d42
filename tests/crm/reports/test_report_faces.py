"""The report's faces agree: text, CSV, XLSX, PDF, the command and the admin page show one set of
numbers; the admin page is for leadership and administrators only."""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from crm.reports import render
from crm.selectors.reports import annual_report
from tests.crm.reports.report_scenario import EXPECTED, FY
from tests.factories import (
    make_partner,
    make_partnership,
    make_service_category,
)

REPORT_URL = "/admin/reports/annual/"


def pdf_strings(data: bytes) -> list[str]:
    """The text a reportlab PDF draws: its page streams decoded, then every (string) operand."""
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = match.group(1).strip()
        try:
            raw = zlib.decompress(base64.a85decode(raw.removesuffix(b"~>")))
        except (ValueError, zlib.error):
            continue
        if b" Tj" not in raw:
            continue  # an image, not a page
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)", raw):
            text = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), text)
            found.append(re.sub(rb"\\(.)", rb"\1", text).decode("latin-1"))
    return found


def numeric_cells(report) -> list[str]:
    """Every number of every table, as the text faces print it."""
    return [
        render.cell_text(cell)
        for table in render.report_tables(report)
        for row in table.rows
        for cell in row
        if isinstance(cell, int | float) or type(cell).__name__ == "Decimal"
    ]


def sheet_values(rows) -> list[str]:
    out = []
    for row in rows:
        for value in row:
            if value in (None, ""):
                continue
            try:
                number = float(str(value).replace(",", ""))
            except ValueError:
                continue
            out.append(number)
    return out


def test_every_face_shows_the_same_numbers(scenario, client, tmp_path):
    report = annual_report(fiscal_year=FY)
    assert report.strategic_partners == EXPECTED["strategic_partners"]
    numbers = numeric_cells(report)
    as_floats = sorted(float(n.replace(",", "")) for n in numbers)

    text = render.report_text(report)
    call_command("partnership_report", "--fy", "2024-25", stdout=(out := io.StringIO()))
    assert out.getvalue() == text

    csv_path, xlsx_path, pdf_path = (tmp_path / f"r.{x}" for x in ("csv", "xlsx", "pdf"))
    for fmt, target in (("csv", csv_path), ("xlsx", xlsx_path), ("pdf", pdf_path)):
        call_command(
            "partnership_report", "--fy", "2024-25", "--format", fmt, "--output", str(target)
        )
    csv_rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    xlsx_rows = list(load_workbook(xlsx_path).worksheets[0].iter_rows(values_only=True))
    assert sorted(sheet_values(csv_rows)) == as_floats
    assert sorted(sheet_values(xlsx_rows)) == as_floats

    drawn = pdf_strings(pdf_path.read_bytes())
    client.force_login(scenario.world.lee)
    page = client.get(REPORT_URL, {"fy": "2024-25"}).content.decode()
    cells_on_page = re.findall(r"<td>([^<]*)</td>", page)
    assert sorted(cells_on_page) == sorted(c for c in _all_cells(report) if c is not None)
    # The PDF draws each number as its own string, table by table, row by row.
    assert [s for s in drawn if re.fullmatch(r"-?[\d,]+(\.\d+)?", s)] == numbers
    for table in render.report_tables(report):
        for row in table.rows if table.header != ("Definition",) else ():
            cells = [re.escape(render.cell_text(c)) for c in row if c not in (None, "")]
            assert re.search(r"\s+".join(cells), text), f"{row} missing from the text"
    assert render.report_headline(report) in " ".join(drawn)
    assert render.report_headline(report) in page

    for fmt, content in (("csv", csv_path.read_bytes()), ("pdf", pdf_path.read_bytes())):
        download = client.get(reverse("crm_annual_report_download", args=[fmt]), {"fy": "2024-25"})
        assert download.status_code == 200
        assert download.content == content
        assert 'filename="partnership-report-FY2024-25.' in download["Content-Disposition"]


def _all_cells(report) -> list[str]:
    # The page shows every cell but the row labels (those are <th>) and the definitions (a list).
    return [
        render.cell_text(cell)
        for table in render.report_tables(report)
        if table.header != ("Definition",)
        for row in table.rows
        for cell in row[1:]
    ]


def test_query_count_does_not_grow_with_the_data(scenario, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        annual_report(fiscal_year=FY)
    for n in range(30):
        partner = make_partner(
            f"Growth Partner {n}", service_categories=[make_service_category(f"C{n}")]
        )
        make_partnership(partner, strategic=n % 2 == 0)
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = annual_report(fiscal_year=FY)
    assert report.strategic_partners == EXPECTED["strategic_partners"] + 15
    assert len(small.captured_queries) <= 16


def test_exports_neutralise_formula_text(world, frozen):
    partner = make_partner(
        "Formula Partner", service_categories=[make_service_category("=HYPERLINK(1)")]
    )
    make_partnership(partner, strategic=True)
    report = annual_report(fiscal_year=2025)
    assert "'=HYPERLINK(1)" in render.report_csv(report)
    sheet = load_workbook(io.BytesIO(render.report_xlsx(report))).worksheets[0]
    assert "'=HYPERLINK(1)" in {c for row in sheet.iter_rows(values_only=True) for c in row}


def test_chart_is_accessible_svg_and_a_png(frozen):
    from tests.crm.reports.report_scenario import pure_report

    report = pure_report()
    svg = render.report_chart_svg(report)
    assert svg.startswith('<svg role="img" aria-labelledby="report-chart-title report-chart-desc"')
    assert '<title id="report-chart-title">' in svg and "FY 2024-25: 5 (target path 3.5)" in svg
    assert render.report_chart_png(report).startswith(b"\x89PNG")


def test_undefined_growth_reads_as_such_in_every_face(world, frozen):
    make_partnership(make_partner("Only Partner"), strategic=True)
    report = annual_report(fiscal_year=2025)
    assert "growth undefined because FY 2023-24 had none" in render.report_headline(report)
    assert "undefined (no previous year)" in render.report_text(report)
    assert "undefined" in render.report_csv(report)
    assert render.report_pdf(report).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fy", "2024-26"], "the second year must follow the first"),
        (["--fy", "next year"], "is not a fiscal year"),
        (["--fy", "1800"], "out of range"),
        (["--format", "pdf"], "give --output FILE"),
        (["--format", "csv", "--output", "/nonexistent/dir/r.csv"], "Cannot write"),
    ],
)
def test_command_refuses_bad_input_with_a_clear_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("partnership_report", *args)


def test_command_defaults_to_the_last_completed_year(db, frozen):
    out = io.StringIO()
    call_command("partnership_report", stdout=out)
    assert out.getvalue().startswith("Annual partnership report, FY 2024-25")


# Wagtail answers a signed-in user without the permission with a redirect to the dashboard.
ACCESS = {
    "anonymous": (302, 302),
    "ana": (200, 405),
    "lee": (200, 405),
    "sam": (200, 405),
    "pat": (302, 302),
    "cora": (302, 302),
    "omar": (302, 302),
}


@pytest.mark.parametrize("persona", sorted(ACCESS))
def test_report_page_access_by_role(world, client, persona, frozen):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    get_status, post_status = ACCESS[persona]
    response = client.get(REPORT_URL)
    assert response.status_code == get_status
    if get_status == 302:
        expected = "/admin/login/" if persona == "anonymous" else "/admin/"
        assert response["Location"].startswith(expected)
    else:
        assert b"FY 2024-25" in response.content and b"<svg" in response.content
    assert client.post(REPORT_URL).status_code == post_status
    download_url = reverse("crm_annual_report_download", args=["csv"])
    assert client.get(download_url).status_code == (200 if get_status == 200 else 302)
    assert client.post(download_url).status_code == post_status


def test_menu_item_only_for_report_readers(world, client):
    for persona, shown in (("lee", True), ("pat", False)):
        client.force_login(getattr(world, persona))
        assert (REPORT_URL.encode() in client.get("/admin/").content) is shown


def test_bad_year_on_the_page_says_so_and_shows_the_default(world, client, frozen):
    client.force_login(world.lee)
    response = client.get(REPORT_URL, {"fy": "2024-27"})
    assert response.status_code == 200
    assert b"Showing FY 2024-25 instead." in response.content
    download = client.get(reverse("crm_annual_report_download", args=["pdf"]), {"fy": "bad"})
    assert download.status_code == 400
    assert client.get(reverse("crm_annual_report_download", args=["doc"])).status_code == 404
