"""PostgreSQL only: 20 parallel creates of one name through the API give one partner, and
parallel retries of one Idempotency-Key write once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from crm.models import Partner
from tests.api.conftest import ApiClient, token_for
from tests.factories import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serializes every writer",
    ),
]
VARIANTS = ["Boys & Girls Club", "boys and girls club ", "Boys and Girls Club, Inc."]


def run_parallel(jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def raw_token():
    from crm.roles import PARTNERSHIP_STAFF

    return token_for(make_user("pat", role=PARTNERSHIP_STAFF))


def test_twenty_parallel_creates_of_one_name_give_one_partner(raw_token):
    def creating(i):
        name = VARIANTS[i % len(VARIANTS)]
        return lambda: ApiClient(raw_token).post("/api/v1/partners/", {"name": name}).status_code

    statuses = run_parallel([creating(i) for i in range(20)])
    assert sorted(statuses) == [201] + [409] * 19, statuses
    assert Partner.objects.count() == 1


def test_parallel_retries_of_one_key_write_once(raw_token):
    def retrying():
        return ApiClient(raw_token).post(
            "/api/v1/partners/", {"name": "Harbor Food Bank"}, key="k1"
        )

    responses = run_parallel([retrying for _ in range(8)])
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert Partner.objects.count() == 1
