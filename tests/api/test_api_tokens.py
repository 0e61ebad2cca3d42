"""Tokens: stored hashed, shown once, revocable, expiring, read-only; every request is logged;
rate limits per token; errors are JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import APIToken

from api.models import ApiRequest, TokenScope
from api.tokens import token_create, token_revoke
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_only_a_digest_is_stored_and_the_token_works(world):
    token, raw = token_create(user=world.pat, name="Power BI", actor=world.pat)
    assert raw.startswith("wagtail_") and raw not in {token.key_hash, token.prefix}
    assert not APIToken.objects.filter(key_hash=raw).exists()
    assert ApiClient(raw).get("/api/v1/partners/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_expired_unknown_and_inactive_tokens_are_refused(world):
    client = lambda raw: ApiClient(raw).get("/api/v1/partners/")  # noqa: E731
    revoked, raw_revoked = token_create(user=world.pat, name="old", actor=world.pat)
    token_revoke(token=revoked, actor=world.pat)
    _, raw_expiring = token_create(
        user=world.pat,
        name="short",
        actor=world.pat,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert client(raw_expiring).status_code == 200
    TokenScope.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _, raw_lee = token_create(user=world.lee, name="lee", actor=world.lee)
    world.lee.is_active = False
    world.lee.save()
    for raw in (raw_revoked, raw_expiring, raw_lee, "wagtail_nonsense", "not-even-close"):
        response = client(raw)
        assert response.status_code == 401, raw
        assert response.json()["error"] == "authentication_failed"


def test_people_manage_only_their_own_tokens_administrators_anyone(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(user=world.pat, name="x", actor=world.cora)
    token, _ = token_create(user=world.pat, name="x", actor=world.ana)
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, actor=world.lee)


def test_read_only_token_reads_but_never_writes(world, api):
    assert api.ro.pat.get("/api/v1/partners/").status_code == 200
    response = api.ro.pat.post("/api/v1/partners/", {"name": "Westside Tutors"})
    assert response.status_code == 403
    assert response.json() == {"error": "permission_denied", "detail": "This token is read-only."}
    assert api.pat.post("/api/v1/partners/", {"name": "Westside Tutors"}).status_code == 201


def test_every_request_is_logged_with_its_token(world):
    token, raw = token_create(user=world.pat, name="n", actor=world.pat)
    ApiClient(raw).get("/api/v1/partners/")
    ApiClient(raw).get("/api/v1/referrals/")
    ApiClient(None).get("/api/v1/partners/")
    rows = list(ApiRequest.objects.order_by("id").values_list("token", "user", "path", "status"))
    assert rows == [
        (token.pk, world.pat.pk, "/api/v1/partners/", 200),
        (token.pk, world.pat.pk, "/api/v1/referrals/", 403),
        (None, None, "/api/v1/partners/", 401),
    ]


@override_settings(API_RATE_LIMIT="3/min")
def test_rate_limit_is_per_token(world, api):
    statuses = [api.pat.get("/api/v1/schools/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.pat.get("/api/v1/schools/").json()["error"] == "throttled"
    assert api.lee.get("/api/v1/schools/").status_code == 200


def test_errors_are_json_never_html(world, api):
    cases = [
        api.pat.get("/api/v1/partners/999999/"),
        api.pat.get("/api/v1/nowhere/deep/"),
        api.pat.get("/api/v1/partners/not-a-number/"),
        api.pat.patch("/api/v1/schools/1/"),
        api.pat.get("/api/v1/partners/?school=99999999999999999999999"),
        api.pat.get("/api/v1/partners/?cursor=garbage"),
        api.pat.client.post(
            "/api/v1/partners/",
            "name=x",
            content_type="application/x-www-form-urlencoded",
            headers={**api.pat.headers, "Idempotency-Key": "k"},
        ),
        api.pat.client.post(
            "/api/v1/partners/",
            "{not json",
            content_type="application/json",
            headers={**api.pat.headers, "Idempotency-Key": "k2"},
        ),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) >= {"error", "detail"}


def test_etag_and_if_none_match(world, api):
    first = api.lee.get("/api/v1/schools/")
    etag = first["ETag"]
    assert etag and "Authorization" in first["Vary"]
    again = api.lee.get("/api/v1/schools/", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert api.lee.get("/api/v1/schools/", **{"If-None-Match": '"other"'}).status_code == 200


def test_docs_for_signed_in_staff_only(world):
    client = Client()
    assert client.get("/api/v1/docs/").status_code == 302
    client.force_login(world.lee)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200 and b"swagger" in page.content.lower()
    assert Client().get("/api/v1/schema/").json()["openapi"].startswith("3.")


def test_admin_creates_a_token_with_scope_and_shows_it_once(world):
    client = Client()
    client.force_login(world.cora)
    response = client.post(
        "/admin/api-tokens/new/",
        {"name": "Referral platform", "user": world.cora.pk, "read_only": "on"},
    )
    assert response.status_code == 200
    token = APIToken.objects.get(user=world.cora)
    assert token.partnerbase_scope.read_only
    shown = response.content.decode()
    assert token.prefix in shown
    listing = client.get("/admin/api-tokens/").content.decode()
    assert token.prefix in listing and "Referral platform" in listing


def test_updated_since_is_read_in_utc_and_out_of_range_is_a_400(world, api):
    ok = api.pat.get("/api/v1/partners/", {"updated_since": "2025-01-01T00:48:41+22:14"})
    assert ok.status_code == 200
    bad = api.pat.get("/api/v1/partners/", {"updated_since": "9999-12-31T23:59:59-15:00"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid"
