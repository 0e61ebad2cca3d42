"""Progress packs through the API (/api/v1/reports/packs/): the hand-counted scenario's figures,
the same as the admin's pack, small counts suppressed, and scope per token."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from crm.reports.pack_render import pack_tables
from crm.selectors.packs import school_pack
from tests.api.conftest import ApiClient, token_for

URL = "/api/v1/reports/packs/"
TODAY = dt.datetime(2025, 11, 30, 12, tzinfo=dt.UTC)


@pytest.fixture
def api(ccspp):
    w = ccspp.world
    return {name: ApiClient(token_for(getattr(w, name))) for name in ("ana", "cora", "omar", "lee")}


def _get(client, **params):
    with time_machine.travel(TODAY, tick=False):
        return client.get(URL, params)


def test_a_coordinator_pulls_her_schools_pack_with_the_hand_counted_figures(ccspp, api):
    w = ccspp.world
    response = _get(api["cora"], school=w.roosevelt.cds_code, fiscal_year="2024-25")
    assert response.status_code == 200
    data = response.json()
    assert (data["scope"], data["code"], data["fiscal_year"]) == (
        "school",
        w.roosevelt.cds_code,
        2025,
    )
    assert data["summary"]["funded_schools"] == 1
    assert data["summary"]["grant_amount"] == "1200000.00"
    assert data["summary"]["funding_secured"] == "25000.00"
    assert (data["summary"]["needs"], data["summary"]["needs_unmet"]) == (2, 1)
    assert {
        s["kind"]: (s["events"], s["participants"], s["items_distributed"])
        for s in data["direct_services"]
    } == {
        "family_night": (1, 120, 30),
        "workshop": (1, 15, 0),
    }
    referrals = data["referrals"]
    # 12 referrals of 11 people: shown; 9 completed; 1 and 2 are suppressed like every pack face.
    assert (referrals["referrals"], referrals["individuals"]) == (12, 11)
    assert referrals["completed"] == "fewer than 11"
    assert referrals["still_open"] == "fewer than 11"
    assert {r["need"]: r["referrals"] for r in referrals["by_need"]} == {
        "food": 11,
        "mental_health": "fewer than 11",
    }
    assert "schools" not in data
    assert {p["code"]: p["events"] for p in data["pillars"]}["family_engagement"] == 1
    # Services by pillar: 12 referrals under supports shown, 1 under family suppressed.
    assert {p["code"]: p["referrals"] for p in data["pillars"]} == {
        "integrated_supports": 12,
        "family_engagement": "fewer than 11",
        "collaborative_leadership": 0,
        "extended_learning": 0,
    }
    pillars = {p["code"]: p["referral_needs"] for p in data["pillars"]}
    assert pillars["integrated_supports"] == ["mental_health", "food"]


def test_the_api_pack_agrees_with_the_admin_pack(ccspp, api):
    w = ccspp.world
    data = _get(api["ana"], school=w.roosevelt.cds_code, fiscal_year="2025").json()
    tables = {t.title: t for t in pack_tables(school_pack(school=w.roosevelt, fiscal_year=2025))}
    summary = dict(tables["Summary"].rows)
    assert data["summary"]["partners_serving"] == summary["Partner organizations serving"]
    assert data["summary"]["partnerships"] == summary["Partnerships naming the school(s)"]
    outcomes = dict(tables["Referrals: closed-loop outcomes"].rows)
    assert data["referrals"]["referrals"] == outcomes["Referrals made"]
    assert data["referrals"]["completed"] == outcomes["Completed"]
    assert len(data["needs"]) == len(tables["Needs"].rows)
    assert data["partners"] == [row[0] for row in tables["Partners serving"].rows]


def test_a_district_pack_lists_its_schools_that_sum_to_it(ccspp, api):
    data = _get(api["lee"], district=ccspp.world.east.cds_code, fiscal_year="2024-25").json()
    assert data["scope"] == "district"
    schools = {s["name"]: s for s in data["schools"]}
    assert set(schools) == {"Roosevelt High", "Lincoln Middle"}
    assert sum(s["events"] for s in schools.values()) == sum(
        s["events"] for s in data["direct_services"]
    )
    assert sum(s["needs_unmet"] for s in schools.values()) == data["summary"]["needs_unmet"]
    assert data["referrals"]["referrals"] == 13


@pytest.mark.parametrize(
    ("who", "params", "status", "error"),
    [
        # Omar coordinates Garfield, not Roosevelt; coordinators get no district or county pack.
        ("omar", {"school": "roosevelt"}, 403, "permission_denied"),
        ("cora", {"district": "east"}, 403, "permission_denied"),
        ("cora", {}, 403, "permission_denied"),
        ("ana", {"school": "19999999999999"}, 400, "invalid"),
        ("ana", {"district": "19999999999999"}, 400, "invalid"),
        ("ana", {"school": "roosevelt", "district": "east"}, 400, "invalid"),
        ("ana", {"school": "roosevelt", "fiscal_year": "2030-31"}, 400, "invalid"),
        ("ana", {"school": "roosevelt", "fiscal_year": "last year"}, 400, "invalid"),
    ],
)
def test_refusals_are_clear_json(ccspp, api, who, params, status, error):
    codes = {"roosevelt": ccspp.world.roosevelt.cds_code, "east": ccspp.world.east.cds_code}
    params = {k: codes.get(v, v) for k, v in params.items()}
    response = _get(api[who], **params)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == error and body["detail"]


def test_pack_answers_carry_an_etag_and_a_304(ccspp, api):
    cds = ccspp.world.roosevelt.cds_code
    first = _get(api["cora"], school=cds, fiscal_year="2024-25")
    with time_machine.travel(TODAY, tick=False):
        again = api["cora"].get(
            URL, {"school": cds, "fiscal_year": "2024-25"}, **{"If-None-Match": first["ETag"]}
        )
    assert again.status_code == 304


def test_the_schema_documents_the_pack(ccspp, api):
    schema = api["ana"].get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/reports/packs/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"school", "district", "fiscal_year"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    pack = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"summary", "referrals", "direct_services", "schools"} <= set(pack["properties"])
