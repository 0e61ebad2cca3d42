"""/healthz and /readyz: uncached answers, a failing check is a 503 naming it."""

from __future__ import annotations


def test_healthz_answers_and_is_not_cached(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Request-ID"]


def test_readyz_checks_each_dependency(client, db):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["database"] == body["cache"] == "ok"


def test_readyz_names_a_failing_check(client, db, settings, monkeypatch):
    settings.MATCH_INDEX_WARM = True
    monkeypatch.setattr("crm.selectors.partners.partner_index_ready", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "not built" in response.json()["matcher_index"]


def test_a_safe_request_id_is_kept_and_an_unsafe_one_replaced(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nx")["X-Request-ID"]
    assert replaced != "bad id\nx"
