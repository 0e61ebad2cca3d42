"""Listing exports end to end: every text cell neutralised in CSV and XLSX; no N+1 listing."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import EquityFocusGroup, ServiceCategory
from tests.factories import make_partner

EVIL = '=HYPERLINK("http://evil","x")'
PHONE = "+1 (213) 555-0100"


def _export(client, fmt: str) -> list[list]:
    response = client.get(reverse("crm_partner:index"), {"export": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_partner_export_neutralises_formulas_and_keeps_phones(world, client, fmt):
    category = ServiceCategory.objects.create(slug="evil", name="@SUM(A1:A9)")
    make_partner(
        EVIL, phone=PHONE, aliases=["-2+3"], service_categories=[category], city="Los Angeles"
    )
    client.force_login(world.pat)
    header, *rows = _export(client, fmt)
    row = dict(zip(header, rows[0], strict=True))
    # The list downloads in the import columns, so the file can be imported again.
    assert row["name"] == "'" + EVIL
    # A spreadsheet would compute a leading "+": the phone stays readable as text behind a "'".
    assert row["phone"] == "'" + PHONE
    assert row["aliases"] == "'-2+3"
    assert row["city"] == "Los Angeles"
    assert row["kind"] == "nonprofit"


def test_export_respects_the_listing_filter(world, client):
    make_partner("Published Org", published=True)
    make_partner("Hidden Org")
    client.force_login(world.ana)
    response = client.get(reverse("crm_partner:index"), {"export": "csv", "published": "true"})
    body = b"".join(response.streaming_content).decode()
    assert "Published Org" in body and "Hidden Org" not in body


def _list_queries(client, count: int) -> int:
    groups = [EquityFocusGroup.objects.create(slug=f"g{count}", name=f"Group {count}")]
    categories = [ServiceCategory.objects.create(slug=f"c{count}", name=f"Category {count}")]
    for n in range(count):
        make_partner(
            f"Organization {count}-{n}", service_categories=categories, equity_focus_groups=groups
        )
    with CaptureQueriesContext(connection) as listing:
        assert client.get(reverse("crm_partner:index")).status_code == 200
    with CaptureQueriesContext(connection) as export:
        response = client.get(reverse("crm_partner:index"), {"export": "csv"})
        b"".join(response.streaming_content)
    return len(listing), len(export)


def test_partner_list_and_export_query_counts_do_not_grow_with_rows(world, client):
    client.force_login(world.pat)
    few = _list_queries(client, 3)
    many = _list_queries(client, 40)
    assert many == few, f"queries for 3+3 rows {few}, for 43 rows {many}"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_list_download_imports_back_unchanged(world, client, fmt):
    from crm.services.imports import import_batch_create

    make_partner("Harbor Food Bank", website="harborfood.org", phone=PHONE, city="San Pedro")
    make_partner("Eastside Family Clinic", aliases=["Eastside Clinic"], published=True)
    client.force_login(world.pat)
    response = client.get(reverse("crm_partner:index"), {"export": fmt})
    body = b"".join(response.streaming_content)
    batch = import_batch_create(user=world.pat, kind="partners", data=body, filename=f"p.{fmt}")
    statuses = sorted(row["status"] for row in batch.preview["rows"])
    assert statuses == ["update", "update"], batch.preview["rows"]
