"""The hostile-string corpus (tests/hostile.py) through every create path (service, admin form,
import) and on every face: public profile and directory, admin list and edit page, CSV/XLSX
exports and the PDF report."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from crm.models import Partner
from crm.reports.render import report_pdf
from crm.selectors.reports import annual_report
from crm.services.partners import partner_create
from tests.crm.admin.test_admin_partner_forms import PARTNER_POST
from tests.crm.imports.test_import_service import run
from tests.factories import make_contact, make_district, make_partnership
from tests.hostile import (
    NAMES,
    URLS,
    assert_cells_neutralised,
    assert_html_safe,
)


@pytest.fixture
def hostile_partners(public_world):
    partners = []
    for n, name in enumerate(NAMES):
        partner = partner_create(
            name=name,
            aliases=[name[::-1]],
            description=f"{name}\n<b>bold</b> {URLS[n % len(URLS)]}",
            city=name[:100],
            published=True,
            create_anyway=True,
            actor=public_world.pat,
            source="admin",
        )
        make_contact(partner, name=name[:200], role=name[:200], is_public=True)
        make_partnership(partner, title=name[:200], strategic=True)
        partners.append(partner)
    make_district(name=NAMES[0][:100])
    return partners


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_public_profile_and_directory_escape_everything(client, hostile_partners):
    html = client.get("/partners/").content.decode()
    assert_html_safe(html, "directory")
    for partner in hostile_partners:
        for lang in ("", "/es"):
            response = client.get(f"{lang}/partners/{partner.slug}/")
            assert response.status_code == 200
            assert_html_safe(response.content.decode(), f"profile {partner.slug}")


def test_admin_list_and_edit_pages_escape_everything(client, hostile_partners, public_world):
    client.force_login(public_world.pat)
    for url in (reverse("crm_partner:index"), reverse("crm_contact:index")):
        assert_html_safe(client.get(url).content.decode(), url)
    for partner in hostile_partners:
        for view in ("edit", "inspect"):
            response = client.get(reverse(f"crm_partner:{view}", args=[partner.pk]))
            assert response.status_code == 200
            assert_html_safe(response.content.decode(), f"{view} {partner.pk}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_every_cell(client, hostile_partners, public_world, fmt):
    client.force_login(public_world.ana)
    sources = [reverse("crm_export", args=[k]) + f"?format={fmt}" for k in ("partners",)]
    sources += [reverse("crm_export", args=["partnerships"]) + f"?format={fmt}"]
    sources += [reverse(n) + f"?export={fmt}" for n in ("crm_partner:index", "crm_contact:index")]
    for url in sources:
        body = _body(client.get(url))
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(body)).active
            rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert len(rows) > len(NAMES)
        assert_cells_neutralised(rows, url)


def test_pdf_report_builds_with_hostile_names(hostile_partners):
    pdf = report_pdf(annual_report(fiscal_year=2025))
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


@pytest.mark.parametrize("url", URLS)
def test_admin_form_and_import_refuse_hostile_links_with_a_clear_error(client, public_world, url):
    client.force_login(public_world.pat)
    response = client.post(
        reverse("crm_partner:add"), {**PARTNER_POST, "name": NAMES[0], "website": url}
    )
    assert response.status_code == 200 and "http:// or https://" in response.content.decode()
    report = run("partners", [["name", "website"], [NAMES[1], url]], public_world.pat)
    assert not report.written and report.errors[0].errors[0][0] == "website"
    assert not Partner.objects.filter(name__in=NAMES[:2]).exists()


@pytest.mark.parametrize("name", NAMES)
def test_admin_form_and_import_store_hostile_names_as_text(client, public_world, name):
    client.force_login(public_world.pat)
    data = {**PARTNER_POST, "name": name, "aliases": "", "website": ""}
    response = client.post(reverse("crm_partner:add"), data)
    assert response.status_code in (200, 302)
    assert_html_safe(response.content.decode(), "admin add")
    report = run("partners", [["name", "city"], [name, name[:100]]], public_world.pat)
    assert report.written or report.errors
