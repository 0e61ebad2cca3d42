"""API fixtures: a token per persona of the shared world, and a client that sends it."""

from __future__ import annotations

import itertools
import json
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from api.tokens import token_create

_keys = itertools.count(1)


class ApiClient:
    """A test client speaking JSON with a bearer token; POSTs get a fresh Idempotency-Key."""

    def __init__(self, token: str | None):
        self.client = Client(raise_request_exception=False)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def post(self, path, data=None, *, key: str | None = "auto", **headers):
        extra = dict(headers)
        if key == "auto":
            extra["Idempotency-Key"] = f"test-{next(_keys)}"
        elif key is not None:
            extra["Idempotency-Key"] = key
        return self.client.post(
            path,
            json.dumps(data if data is not None else {}),
            content_type="application/json",
            headers={**self.headers, **extra},
        )

    def patch(self, path, data=None, **headers):
        return self.client.patch(
            path,
            json.dumps(data or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def token_for(user, **scope) -> str:
    return token_create(user=user, name="test", actor=user, **scope)[1]


@pytest.fixture
def api(world):
    """ApiClient per persona (ana, pat, cora, omar, lee) plus read-only ones (`ro.<name>`)."""
    names = ("ana", "pat", "cora", "omar", "lee")
    clients = {n: ApiClient(token_for(getattr(world, n))) for n in names}
    read_only = {n: ApiClient(token_for(getattr(world, n), read_only=True)) for n in names}
    return SimpleNamespace(**clients, ro=SimpleNamespace(**read_only), anonymous=ApiClient(None))
