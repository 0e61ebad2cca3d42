"""PostgreSQL only: crossed merges and parallel creates, each thread on its own connection."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

import crm.services.merge as merge_module
from crm.models import MergeRecord, Partner
from crm.services.merge import partner_merge
from crm.services.partners import DuplicatePartner, partner_create
from tests.factories import make_partner

SYSTEM = {"actor": None, "source": "command"}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serializes every writer",
    ),
]


def run_parallel(jobs) -> list:
    """Start every job at the same moment, each in a thread with its own connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = ("ok", job())
        except Exception as exc:  # the test inspects what each thread ran into
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_crossed_merges_end_with_one_result_and_no_cycle(monkeypatch):
    a = make_partner("Harbor Youth Services")
    b = make_partner("Harbor Youth Services Inc")
    locked = merge_module._locked_pair

    def slow_lock(first, second):
        rows = locked(first, second)
        # Hold both row locks a while, so the other merge is surely waiting on them.
        time.sleep(0.3)
        return rows

    monkeypatch.setattr(merge_module, "_locked_pair", slow_lock)

    def merging(survivor, loser):
        return lambda: partner_merge(survivor=survivor, loser=loser, field_choices={}, **SYSTEM)

    results = run_parallel([merging(b, a), merging(a, b)])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    [error] = [value for kind, value in results if kind == "error"]
    assert isinstance(error, ValidationError)
    rows = dict(Partner.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "merged_into_id"))
    assert sum(v is not None for v in rows.values()) == 1
    record = MergeRecord.objects.get()
    assert rows[record.loser_id] == record.survivor_id and rows[record.survivor_id] is None


VARIANTS = ["Boys & Girls Club", "boys and girls club ", "Boys and Girls Club, Inc."]


def test_parallel_creates_of_one_name_give_one_partner():
    def creating(name):
        return lambda: partner_create(name=name, **SYSTEM)

    results = run_parallel([creating(VARIANTS[i % len(VARIANTS)]) for i in range(20)])
    kinds = [kind for kind, _ in results]
    assert kinds.count("ok") == 1, results
    assert all(isinstance(value, DuplicatePartner) for kind, value in results if kind == "error")
    assert Partner.objects.count() == 1


def test_three_merges_in_a_cycle_deadlock_and_are_retried(monkeypatch):
    """A→B, B→C and C→A at once, each locking its loser first: a real lock cycle. PostgreSQL
    aborts one as the deadlock victim; the merge runs again, and nobody sees a database error.
    """
    a, b, c = (make_partner(f"Harbor Youth Services {n}") for n in ("East", "West", "North"))
    attempts = []

    def loser_first(first, second):
        # The cycle needs each merge to hold one row while it waits for the next merge's row.
        rows = {}
        for pk in (first, second)[::-1]:
            rows[pk] = Partner.objects.select_for_update().get(pk=pk)
            if len(rows) == 1 and not attempts.count(threading.get_ident()):
                attempts.append(threading.get_ident())
                time.sleep(0.5)
        return rows

    monkeypatch.setattr(merge_module, "_locked_pair", loser_first)

    def merging(loser, survivor):
        return lambda: partner_merge(survivor=survivor, loser=loser, field_choices={}, **SYSTEM)

    results = run_parallel([merging(a, b), merging(b, c), merging(c, a)])
    errors = [value for kind, value in results if kind == "error"]
    assert all(isinstance(error, ValidationError) for error in errors), results
    assert len(errors) < 3, results
    live = Partner.objects.filter(pk__in=[a.pk, b.pk, c.pk], merged_into__isnull=True)
    assert live.count() == 3 - MergeRecord.objects.count() >= 1
    for partner in Partner.objects.filter(pk__in=[a.pk, b.pk, c.pk]):
        seen = {partner.pk}
        while partner.merged_into_id is not None:
            partner = partner.merged_into
            assert partner.pk not in seen, "merge cycle"
            seen.add(partner.pk)
