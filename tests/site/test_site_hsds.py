"""The Open Referral HSDS 3 feed: valid against the HSDS schemas, published partners only,
paginated, cached, read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker

from crm.selectors.hsds import feed_id, parse_feed_id

SCHEMAS = Path(__file__).parent / "hsds_schema"


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def valid(name: str, data) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in validator(name).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    ("endpoint", "record"),
    [("organizations", "organization"), ("services", "service"), ("locations", "location")],
)
def test_every_list_and_record_is_valid_hsds(client, public_world, endpoint, record):
    public_world.roosevelt.zip = "90012"
    public_world.roosevelt.save()
    page = client.get(f"/api/hsds/{endpoint}").json()
    valid("page", page)
    assert page["contents"], endpoint
    for item in page["contents"]:
        valid(record, item)
        detail = client.get(f"/api/hsds/{endpoint}/{item['id']}")
        assert detail.status_code == 200
        assert detail.json() == item
    if endpoint == "locations":
        assert any(item.get("addresses") for item in page["contents"])


def test_only_published_partners_and_public_fields(client, public_world):
    names = {o["name"] for o in client.get("/api/hsds/organizations").json()["contents"]}
    assert names == {"Acme Savings Bank", "Boys & Girls Club of the Harbor", "Harbor Food Pantry"}
    hidden = feed_id("organization", public_world.hidden.pk)
    assert client.get(f"/api/hsds/organizations/{hidden}").status_code == 404
    services = client.get("/api/hsds/services").json()["contents"]
    assert {s["name"] for s in services} == {
        "Food: Acme Savings Bank",
        "Food: Harbor Food Pantry",
        "Tutoring: Boys & Girls Club of the Harbor",
    }


def test_pagination_caching_and_bad_ids(client, public_world, django_assert_max_num_queries):
    first = client.get("/api/hsds/organizations?per_page=2").json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert first["first_page"] and not first["last_page"]
    second = client.get("/api/hsds/organizations?per_page=2&page=2").json()
    assert second["last_page"] and second["size"] == 1
    with CaptureQueriesContext(connection) as cached_run:
        again = client.get("/api/hsds/organizations?per_page=2")
    assert again.json() == first
    assert len(cached_run.captured_queries) <= 2
    assert again["Cache-Control"] == "max-age=300, public"
    for bad in ("x", "00000000-0000-0000-0000-000000000000", feed_id("service", 1, 1)):
        assert client.get(f"/api/hsds/organizations/{bad}").status_code == 404
    assert client.post("/api/hsds/organizations").status_code == 405


def test_feed_ids_round_trip():
    for kind in ("organization", "service", "location"):
        assert parse_feed_id(feed_id(kind, 123456, 42)) == (kind, 123456, 42)
    assert parse_feed_id("not-a-uuid") is None
