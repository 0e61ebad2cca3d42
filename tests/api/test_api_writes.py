"""Writes through the crm services: duplicate check (409 with candidates), create_anyway,
idempotency keys, merge and undo, and the audit channel "api"."""

from __future__ import annotations

import pytest

from crm.models import AuditEntry, Partner, Referral, ReferralDisclosure
from tests.factories import make_partner, make_referral, make_service_category

pytestmark = pytest.mark.django_db


def test_likely_duplicate_answers_409_with_candidates_unless_create_anyway(world, api):
    existing = make_partner("Boys & Girls Club of Pasadena")
    response = api.pat.post("/api/v1/partners/", {"name": "Boys and Girls Club of Pasadena"})
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "duplicate"
    [candidate] = body["candidates"]
    assert candidate["id"] == existing.pk and candidate["level"] == "likely"
    assert candidate["reasons"]
    assert Partner.objects.count() == 1

    response = api.pat.post(
        "/api/v1/partners/", {"name": "Boys and Girls Club of Pasadena", "create_anyway": True}
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="partner.create", object_id=str(response.json()["id"]))
    assert entry.channel == "api" and entry.actor == world.pat
    assert entry.changes["created_anyway_over"][0]["id"] == existing.pk


def test_create_with_relations_and_validation(world, api):
    food = make_service_category("Food")
    response = api.pat.post(
        "/api/v1/partners/",
        {
            "name": "Westside Tutoring Collective",
            "aliases": ["WTC"],
            "service_categories": [food.slug],
            "schools_served": [world.roosevelt.pk],
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["aliases"] == ["WTC"] and data["service_categories"] == ["food"]
    assert data["schools_served"] == [world.roosevelt.pk]
    bad = api.pat.post(
        "/api/v1/partners/", {"name": "", "schools_served": [999999], "kind": "spaceship"}
    )
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"name", "schools_served", "kind"}


def test_idempotency_key_replays_the_first_answer_and_writes_once(world, api):
    payload = {"name": "Harbor Food Bank"}
    first = api.pat.post("/api/v1/partners/", payload, key="retry-1")
    again = api.pat.post("/api/v1/partners/", payload, key="retry-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Partner.objects.count() == 1
    reused = api.pat.post("/api/v1/partners/", {"name": "Other Name"}, key="retry-1")
    assert reused.status_code == 409 and reused.json()["error"] == "idempotency_key_reused"
    missing = api.pat.post("/api/v1/partners/", payload, key=None)
    assert missing.status_code == 400 and missing.json()["error"] == "idempotency_key_required"
    # Keys are per person: the same key from someone else is a different request.
    other = api.ana.post("/api/v1/partners/", {"name": "Eastside Tutors"}, key="retry-1")
    assert other.status_code == 201


def test_a_failed_write_leaves_the_key_free_for_a_corrected_retry(world, api):
    assert api.pat.post("/api/v1/partners/", {"name": ""}, key="k").status_code == 400
    assert api.pat.post("/api/v1/partners/", {"name": ""}, key="k").status_code == 400
    make_partner("Eastside Family Resource Center")
    dup = api.pat.post("/api/v1/partners/", {"name": "Eastside Family Resource Centre"}, key="d")
    assert dup.status_code == 409
    fixed = {"name": "Eastside Family Resource Centre", "create_anyway": True}
    assert api.pat.post("/api/v1/partners/", fixed, key="d").status_code == 201
    assert Partner.objects.count() == 2


def test_merge_and_undo_through_the_api(world, api):
    survivor = make_partner("Harbor Youth Services")
    loser = make_partner("Harbor Youth Services Inc")
    response = api.pat.post(
        "/api/v1/merges/",
        {"survivor": survivor.pk, "loser": loser.pk, "field_choices": {"website": "loser"}},
    )
    assert response.status_code == 201, response.json()
    merge_id = response.json()["id"]
    loser.refresh_from_db()
    assert loser.merged_into_id == survivor.pk
    assert api.pat.get(f"/api/v1/partners/{loser.pk}/").json()["merged_into"] == survivor.pk
    # A merged-away partner is read-only.
    edit = api.pat.patch(f"/api/v1/partners/{loser.pk}/", {"name": "New name"})
    assert edit.status_code == 400
    assert api.lee.post(f"/api/v1/merges/{merge_id}/undo/").status_code == 403
    undone = api.pat.post(f"/api/v1/merges/{merge_id}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    loser.refresh_from_db()
    assert loser.merged_into_id is None
    again = api.pat.post(f"/api/v1/merges/{merge_id}/undo/")
    assert again.status_code == 400
    assert AuditEntry.objects.filter(action="partner.merge_undo", channel="api").exists()


def test_coordinator_referrals_scope_and_leadership_none(world, api):
    partner = make_partner("Eastside Family Resource Center")
    mine = make_referral(world.roosevelt, partner)
    theirs = make_referral(world.garfield, partner)
    ids = [r["id"] for r in api.cora.get("/api/v1/referrals/").json()["results"]]
    assert ids == [mine.pk]
    assert api.cora.get(f"/api/v1/referrals/{theirs.pk}/").status_code == 404
    assert api.lee.get("/api/v1/referrals/").status_code == 403
    assert api.lee.get("/api/v1/export/referrals/").status_code == 403
    assert "referrals" not in api.lee.get("/api/v1/export/").json()["tables"]
    # Every disclosure of rows is logged: the list (export) and the detail (view).
    assert ReferralDisclosure.objects.filter(user=world.cora, referral=mine).count() == 1
    api.cora.get(f"/api/v1/referrals/{mine.pk}/")
    assert ReferralDisclosure.objects.filter(user=world.cora, action="view").count() == 1
    csv = b"".join(api.cora.get("/api/v1/export/referrals/").streaming_content).decode()
    assert mine.student_ref in csv and theirs.student_ref not in csv


def test_coordinator_writes_only_for_her_schools(world, api):
    partner = make_partner("Eastside Family Resource Center")
    body = {
        "school": world.garfield.pk,
        "partner": partner.pk,
        "student_ref": "STU-77001",
        "need_category": "food",
        "referred_on": "2025-01-10",
    }
    assert api.cora.post("/api/v1/referrals/", body).status_code == 403
    created = api.cora.post("/api/v1/referrals/", {**body, "school": world.roosevelt.pk})
    assert created.status_code == 201
    referral = Referral.objects.get(pk=created.json()["id"])
    status = api.cora.post(
        f"/api/v1/referrals/{referral.pk}/status/",
        {"to_status": "accepted", "expected_version": referral.version},
    )
    assert status.status_code == 200 and status.json()["status"] == "accepted"
    stale = api.cora.post(
        f"/api/v1/referrals/{referral.pk}/status/",
        {"to_status": "in_service", "expected_version": referral.version},
    )
    assert stale.status_code == 409 and stale.json()["error"] == "stale"


def test_contact_details_follow_the_contact_permission(world, api):
    from tests.factories import make_contact

    partner = make_partner("Eastside Family Resource Center")
    make_contact(partner, email="maria@example.org")
    assert api.lee.get(f"/api/v1/partners/{partner.pk}/").json()["contacts"][0]["email"]
    assert "contacts" not in api.cora.get(f"/api/v1/partners/{partner.pk}/").json()
    assert api.cora.get("/api/v1/contacts/").status_code == 403


def test_filters_and_cursor_pagination(world, api):
    import datetime as dt

    from tests.factories import make_event

    for day in ("2024-06-30", "2024-07-01", "2025-03-01"):
        make_event(world.roosevelt, date=dt.date.fromisoformat(day))
    make_event(world.garfield, date=dt.date(2025, 3, 2))
    fy25 = api.ana.get("/api/v1/events/", {"fiscal_year": 2025}).json()["results"]
    assert len(fy25) == 3
    at_school = api.ana.get(
        "/api/v1/events/", {"fiscal_year": 2025, "school": world.roosevelt.pk}
    ).json()["results"]
    assert [e["date"] for e in at_school] == ["2024-07-01", "2025-03-01"]
    district = api.ana.get("/api/v1/events/", {"district": world.west.pk}).json()["results"]
    assert len(district) == 1
    page = api.ana.get("/api/v1/events/", {"page_size": 2}).json()
    rest = api.ana.get(page["next"]).json()
    seen = [e["id"] for e in page["results"] + rest["results"]]
    assert len(seen) == 4 == len(set(seen)) and rest["next"] is None
    assert api.ana.get("/api/v1/events/", {"fiscal_year": 1800}).status_code == 400


def test_export_of_this_fiscal_years_events_as_csv(world, api):
    import csv
    import datetime as dt
    import io

    from tests.factories import make_event

    make_event(world.roosevelt, date=dt.date(2026, 9, 1), title="=HYPERLINK(1)")
    make_event(world.roosevelt, date=dt.date(2026, 3, 1))
    response = api.lee.get("/api/v1/export/events/", {"fiscal_year": 2027})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["date"] for r in rows] == ["2026-09-01"]
    assert rows[0]["title"] == "'=HYPERLINK(1)"
    assert api.lee.get("/api/v1/export/events/", {"fiscal_year": "soon"}).status_code == 400
