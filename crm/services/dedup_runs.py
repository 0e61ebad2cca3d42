"""Refreshing the review queue on the background queue, with progress a page can poll."""

from __future__ import annotations

import time

from django.utils import timezone

from crm.models import DuplicateScanRun
from crm.services.base import check_channel, require_perm
from crm.services.dedup import duplicate_queue_refresh

# Progress is written at most this often (seconds), so a large scan is not slowed by it.
PROGRESS_EVERY = 0.5


def duplicate_refresh_request(*, actor, source: str) -> DuplicateScanRun:
    """Record a refresh request and put it on the background queue; returns the run to poll.

    With no TASKS setting, django-tasks runs it at once, before this returns.
    """
    from crm.tasks import duplicate_refresh_task  # the task module imports this one

    check_channel(source)
    require_perm(actor, "crm.change_duplicatecandidate")
    run = DuplicateScanRun.objects.create(
        requested_by=actor if getattr(actor, "pk", None) else None
    )
    duplicate_refresh_task.enqueue(run_id=run.pk, source=source)
    return run


def duplicate_refresh_run(*, run_id: int, source: str) -> dict:
    """Run one requested refresh, writing its progress and outcome on the run as it goes."""
    run = DuplicateScanRun.objects.select_related("requested_by").get(pk=run_id)
    runs = DuplicateScanRun.objects.filter(pk=run_id)
    runs.update(status=DuplicateScanRun.RUNNING, started_at=timezone.now())
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or done == total:
            last[0] = now
            runs.update(done=done, total=total)

    try:
        summary = duplicate_queue_refresh(
            actor=run.requested_by, source=source, progress=progress
        ).as_dict()
    except Exception as exc:
        runs.update(status=DuplicateScanRun.FAILED, error=str(exc), finished_at=timezone.now())
        raise
    runs.update(status=DuplicateScanRun.DONE, summary=summary, finished_at=timezone.now())
    return summary
