"""Background work: retries with backoff, at-most-once keys, the status rows staff see."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from ops.models import TaskRun, TaskStatus
from ops.runs import enqueue_once
from tests.ops.jobs_for_tests import flaky, note


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_a_failing_job_is_retried_then_succeeds_and_each_attempt_is_recorded(db):
    flaky.enqueue(name="a", failures=2)
    runs = list(TaskRun.objects.order_by("attempt"))
    assert [(r.attempt, r.status) for r in runs] == [
        (1, TaskStatus.FAILED),
        (2, TaskStatus.FAILED),
        (3, TaskStatus.DONE),
    ]
    assert runs[0].error == "tests.ops.jobs_for_tests.Flaky: attempt 1 failed on purpose"
    assert runs[2].outcome == '{"ran": 3}'


def test_a_job_that_keeps_failing_stops_after_its_retries(db):
    flaky.enqueue(name="b", failures=10)
    assert list(TaskRun.objects.values_list("status", flat=True)) == [TaskStatus.FAILED] * 3


def test_a_key_is_enqueued_once_and_a_done_key_is_skipped(db):
    assert enqueue_once(note, key="note:x", name="x") is not None
    assert enqueue_once(note, key="note:x", name="x") is None
    assert cache.get("note:x") == 1
    # Enqueued again by hand under the same key (a redelivery): skipped, not run again.
    note.enqueue(name="x", _key="note:x")
    assert cache.get("note:x") == 1
    assert TaskRun.objects.filter(status=TaskStatus.SKIPPED).count() == 1


def test_the_task_page_is_for_administrators_and_shows_errors(client, world):
    flaky.enqueue(name="c", failures=10)
    client.force_login(world.pat)
    assert client.get(reverse("ops_task_runs")).status_code in (302, 403)
    client.force_login(world.ana)
    page = client.get(reverse("ops_task_runs"), {"status": "failed"})
    assert page.status_code == 200
    assert "attempt 3 failed on purpose" in page.content.decode()
    assert "nightly-duplicate-scan" in page.content.decode()


def test_the_scheduled_jobs_run(world):
    from ops import tasks

    jobs = (tasks.import_purge, tasks.retention_report, tasks.task_housekeeping)
    for the_task in jobs:
        result = the_task.enqueue()
        assert result.status == "SUCCESSFUL", the_task.name
    done = TaskRun.objects.filter(status=TaskStatus.DONE, task_name__in=[t.name for t in jobs])
    assert done.count() == 3


def test_a_scheduled_firing_is_enqueued_once_per_minute(db, time_machine, monkeypatch):
    from ops.management.commands import run_scheduler
    from ops.management.commands.run_scheduler import fire
    from ops.schedule import SCHEDULE

    # The hour-long time jump would make the scheduler close this test's connection as too old
    # (CONN_MAX_AGE on PostgreSQL), ending the test's transaction; that hygiene is not tested here.
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)

    purge = next(e for e in SCHEDULE if e.task == "ops.tasks.import_purge")
    time_machine.move_to("2026-11-30 13:05:07+00:00", tick=False)
    fire(purge)
    fire(purge)  # a second scheduler in the same minute
    time_machine.move_to("2026-11-30 14:05:01+00:00", tick=False)
    fire(purge)
    keys = sorted(TaskRun.objects.filter(task_name="import_purge").values_list("key", flat=True))
    assert keys == [
        "schedule:hourly-import-purge:2026-11-30T13:05:00+00:00",
        "schedule:hourly-import-purge:2026-11-30T14:05:00+00:00",
    ]
