"""Every API route × role × token scope: full tokens, read-only tokens and no token.

EXPECTED[(method, route)] gives the status per persona for a full token; a read-only token gets
the same for GET and 403 for every write; no token gets 401. POSTs and PATCHes send an empty
JSON object (a POST with an Idempotency-Key), which must never write and never 500. Records sit
at Roosevelt High, Cora's school; Omar coordinates another school.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from crm.services.merge import partner_merge
from tests.api.conftest import ApiClient, token_for
from tests.factories import (
    make_contact,
    make_event,
    make_funding,
    make_grant,
    make_partner,
    make_partnership,
    make_referral,
    make_touchpoint,
)

pytestmark = pytest.mark.django_db
PERSONAS = ("ana", "pat", "cora", "omar", "lee")
ALL = "ana,pat,cora,omar,lee"


def spec(**outcomes) -> dict[str, int]:
    """spec(ana_pat=200, rest=403): names joined by "_"; `rest` covers the others."""
    out = {}
    for names, status in outcomes.items():
        if names != "rest":
            out.update(dict.fromkeys(names.split("_"), status))
    rest = outcomes.get("rest")
    for persona in PERSONAS:
        out.setdefault(persona, rest)
    assert None not in out.values(), outcomes
    return out


EVERYONE_200 = spec(rest=200)
# (method, URL name, path template) -> status per persona with a full token.
EXPECTED: dict[tuple[str, str, str], dict[str, int]] = {
    ("GET", "partner-list", "/api/v1/partners/"): EVERYONE_200,
    ("POST", "partner-list", "/api/v1/partners/"): spec(ana_pat=400, rest=403),
    ("GET", "partner-detail", "/api/v1/partners/{partner}/"): EVERYONE_200,
    ("PATCH", "partner-detail", "/api/v1/partners/{partner}/"): spec(ana_pat=200, rest=403),
    ("GET", "contact-list", "/api/v1/contacts/"): spec(ana_pat_lee=200, rest=403),
    ("POST", "contact-list", "/api/v1/contacts/"): spec(ana_pat=400, rest=403),
    ("GET", "contact-detail", "/api/v1/contacts/{contact}/"): spec(ana_pat_lee=200, rest=403),
    ("PATCH", "contact-detail", "/api/v1/contacts/{contact}/"): spec(ana_pat=200, rest=403),
    ("GET", "merge-list", "/api/v1/merges/"): spec(ana_pat=200, rest=403),
    ("POST", "merge-list", "/api/v1/merges/"): spec(ana_pat=400, rest=403),
    ("GET", "merge-detail", "/api/v1/merges/{merge}/"): spec(ana_pat=200, rest=403),
    ("POST", "merge-undo", "/api/v1/merges/{merge}/undo/"): spec(ana_pat=200, rest=403),
    ("GET", "partnership-list", "/api/v1/partnerships/"): spec(ana_pat_lee=200, rest=403),
    ("POST", "partnership-list", "/api/v1/partnerships/"): spec(ana_pat=400, rest=403),
    ("GET", "partnership-detail", "/api/v1/partnerships/{partnership}/"): spec(
        ana_pat_lee=200, rest=403
    ),
    ("PATCH", "partnership-detail", "/api/v1/partnerships/{partnership}/"): spec(
        ana_pat=200, rest=403
    ),
    ("POST", "partnership-end", "/api/v1/partnerships/{partnership}/end/"): spec(
        ana_pat=400, rest=403
    ),
    ("GET", "touchpoint-list", "/api/v1/touchpoints/"): EVERYONE_200,
    ("POST", "touchpoint-list", "/api/v1/touchpoints/"): spec(lee=403, rest=400),
    ("GET", "touchpoint-detail", "/api/v1/touchpoints/{touchpoint}/"): EVERYONE_200,
    ("GET", "event-list", "/api/v1/events/"): EVERYONE_200,
    ("POST", "event-list", "/api/v1/events/"): spec(ana_cora_omar=400, rest=403),
    ("GET", "event-detail", "/api/v1/events/{event}/"): spec(omar=404, rest=200),
    ("PATCH", "event-detail", "/api/v1/events/{event}/"): spec(ana_cora=200, omar=404, rest=403),
    ("GET", "funding-list", "/api/v1/funding/"): spec(ana_pat_lee=200, rest=403),
    ("POST", "funding-list", "/api/v1/funding/"): spec(ana_pat=400, rest=403),
    ("GET", "funding-detail", "/api/v1/funding/{funding}/"): spec(ana_pat_lee=200, rest=403),
    ("GET", "referral-list", "/api/v1/referrals/"): spec(ana_cora_omar=200, rest=403),
    ("POST", "referral-list", "/api/v1/referrals/"): spec(ana_cora_omar=400, rest=403),
    ("GET", "referral-detail", "/api/v1/referrals/{referral}/"): spec(
        ana_cora=200, omar=404, rest=403
    ),
    ("POST", "referral-status", "/api/v1/referrals/{referral}/status/"): spec(
        ana_cora=400, omar=404, rest=403
    ),
    ("GET", "school-list", "/api/v1/schools/"): EVERYONE_200,
    ("GET", "school-detail", "/api/v1/schools/{school}/"): EVERYONE_200,
    ("GET", "district-list", "/api/v1/districts/"): spec(ana_pat_lee=200, rest=403),
    ("GET", "district-detail", "/api/v1/districts/{district}/"): spec(ana_pat_lee=200, rest=403),
    ("GET", "grant-list", "/api/v1/grants/"): spec(ana_pat_lee=200, rest=403),
    ("GET", "grant-detail", "/api/v1/grants/{grant}/"): spec(ana_pat_lee=200, rest=403),
    ("GET", "report-annual", "/api/v1/reports/annual/?fiscal_year=2024-25"): spec(
        ana_lee=200, rest=403
    ),
    # Progress packs: a school's for its coordinator, leadership and administrators; district
    # and county packs for leadership and administrators only.
    ("GET", "report-packs", "/api/v1/reports/packs/?school={school_cds}&fiscal_year=2024-25"): spec(
        ana_cora_lee=200, rest=403
    ),
    ("GET", "report-packs", "/api/v1/reports/packs/?district={district_cds}"): spec(
        ana_lee=200, rest=403
    ),
    ("GET", "report-packs", "/api/v1/reports/packs/"): spec(ana_lee=200, rest=403),
    ("GET", "export-index", "/api/v1/export/"): EVERYONE_200,
    ("GET", "export-table", "/api/v1/export/partners/"): EVERYONE_200,
    ("GET", "export-table", "/api/v1/export/referrals/"): spec(ana_cora_omar=200, rest=403),
    ("GET", "export-table", "/api/v1/export/contacts/"): spec(ana_pat_lee=200, rest=403),
    ("GET", "not-found", "/api/v1/no-such-thing/"): spec(rest=404),
}
# Open to everyone, token or not: the schema describes the API and discloses no data.
PUBLIC = {("GET", "schema", "/api/v1/schema/"): 200}
# For signed-in staff in a browser (session), not for tokens: covered by the site route matrix.
SESSION_ONLY = {"docs"}


@pytest.fixture
def records(world):
    partner = make_partner("Eastside Family Resource Center")
    merge = partner_merge(
        survivor=make_partner("Harbor Food Bank"),
        loser=make_partner("Harbour Food Bank"),
        field_choices={},
        actor=None,
        source="command",
    )
    return {
        "partner": partner.pk,
        "contact": make_contact(partner).pk,
        "merge": merge.pk,
        "partnership": make_partnership(partner, start_date=dt.date(2024, 9, 1)).pk,
        "touchpoint": make_touchpoint(partner).pk,
        "event": make_event(world.roosevelt, partners=[partner]).pk,
        "funding": make_funding(partner=partner).pk,
        "referral": make_referral(world.roosevelt, partner).pk,
        "school": world.roosevelt.pk,
        "school_cds": world.roosevelt.cds_code,
        "district": world.east.pk,
        "district_cds": world.east.cds_code,
        "grant": make_grant(world.roosevelt).pk,
    }


def api_route_names() -> set[str]:
    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "api" and p.name:
                yield p.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_api_route_is_in_the_matrix():
    covered = {name for _, name, _ in [*EXPECTED, *PUBLIC]} | SESSION_ONLY
    assert api_route_names() - covered == set()
    assert covered - api_route_names() == set()


def _call(client: ApiClient, method: str, path: str):
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif method == "POST":
            response = client.post(path, {})
        else:
            response = client.patch(path, {})
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("scope", ["full", "read_only"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_matrix(world, records, persona, scope):
    client = ApiClient(token_for(getattr(world, persona), read_only=scope == "read_only"))
    wrong = []
    for (method, name, template), outcomes in EXPECTED.items():
        path = template.format(**records)
        expected = outcomes[persona]
        if scope == "read_only" and method != "GET":
            expected = 403
        response = _call(client, method, path)
        if response.status_code != expected:
            wrong.append(
                f"  {method} {path} [{name}]: expected {expected}, got {response.status_code}"
            )
        elif response.status_code != 200 or method != "GET" or name != "export-table":
            assert response["Content-Type"].startswith("application/json"), (method, path)
    assert not wrong, f"{persona} ({scope}):\n" + "\n".join(wrong)


def test_no_token_is_401_everywhere_but_the_schema(world, records):
    client = ApiClient(None)
    for method, name, template in EXPECTED:
        response = _call(client, method, template.format(**records))
        expected = 404 if name == "not-found" else 401
        assert response.status_code == expected, (method, template)
        assert response.json()["error"] in ("not_authenticated", "not_found")
    for (method, _, path), status in PUBLIC.items():
        assert _call(client, method, path).status_code == status
