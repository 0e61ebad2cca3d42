"""Background work on django-tasks: retries with backoff, at-most-once job keys, and the TaskRun
rows staff see in the admin (kept up to date from the task framework's signals)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.signals import task_enqueued, task_finished, task_started

from ops.models import TaskClaim, TaskRun, TaskStatus

log = logging.getLogger("ops.tasks")
TEXT_LIMIT = 2000


def job(*, retries: int = 3, backoff: float = 30.0, queue_name: str = "default", priority: int = 0):
    """A django-tasks task that, when it raises, is enqueued again after backoff * 2**(n-1)
    seconds, up to `retries` more times. Each attempt is its own TaskRun (failed ones keep their
    error). Job bodies must be safe to run again: a retry repeats the whole body."""

    def wrap(func: Callable) -> object:
        @functools.wraps(func)
        def run(*args, _attempt: int = 1, _key: str = "", **kwargs):
            if _key and TaskClaim.objects.filter(key=_key, done_at__isnull=False).exists():
                return {"skipped": f"{_key} was already done"}
            try:
                result = func(*args, **kwargs)
            except Exception:
                if _attempt <= retries:
                    delay = backoff * 2 ** (_attempt - 1)
                    _again(the_task, args, kwargs, attempt=_attempt + 1, key=_key, delay=delay)
                raise
            if _key:
                TaskClaim.objects.filter(key=_key).update(done_at=timezone.now())
            return result

        run.recorded = True  # its runs get TaskRun rows (other libraries' tasks do not)
        the_task = task(priority=priority, queue_name=queue_name)(run)
        return the_task

    return wrap


def _again(the_task, args, kwargs, *, attempt: int, key: str, delay: float) -> None:
    backend = the_task.get_backend()
    if backend.supports_defer:
        the_task = the_task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    log.warning("Retrying %s (attempt %d) in %.0f s", the_task.name, attempt, delay)
    the_task.enqueue(*args, _attempt=attempt, _key=key, **kwargs)


def enqueue_once(the_task, *args, key: str, **kwargs):
    """Enqueue unless `key` was enqueued before (by this or any other process); None if it was."""
    with transaction.atomic():
        # Looked up first: a repeat (a redelivered command, a second scheduler) is the common
        # case and must not leave a failed statement on the connection; a true race still ends
        # in one claim, since get_or_create re-reads after losing the insert.
        _claim, created = TaskClaim.objects.get_or_create(key=key[:200])
        if not created:
            return None
        return the_task.enqueue(*args, _key=key[:200], **kwargs)


def requeue_stalled(*, older_than: dt.timedelta) -> int:
    """Put back on the queue tasks a worker claimed but never finished (it was killed or its
    machine stopped) more than `older_than` ago. The database queue only."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stalled = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    ids = [str(pk) for pk in stalled.values_list("id", flat=True)]
    if not ids:
        return 0
    DBTaskResult.objects.filter(id__in=ids).update(status=TaskResultStatus.READY, started_at=None)
    TaskRun.objects.filter(id__in=ids).update(
        status=TaskStatus.QUEUED, error="Requeued: the worker running it stopped."
    )
    log.warning("Requeued %d stalled task(s)", len(ids))
    return len(ids)


# --- TaskRun rows from the task framework's signals ----------------------------------------------


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _on_enqueued(sender, task_result, **kwargs) -> None:
    params = task_result.kwargs or {}
    TaskRun.objects.update_or_create(
        id=str(task_result.id),
        defaults={
            "task_name": task_result.task.name,
            "status": TaskStatus.QUEUED,
            "attempt": int(params.get("_attempt", 1)),
            "key": str(params.get("_key", ""))[:200],
        },
    )


def _on_started(sender, task_result, **kwargs) -> None:
    TaskRun.objects.filter(id=str(task_result.id)).update(
        status=TaskStatus.RUNNING, started_at=timezone.now(), error=""
    )


def _on_finished(sender, task_result, **kwargs) -> None:
    from django_tasks import TaskResultStatus

    fields: dict = {"finished_at": timezone.now()}
    if task_result.status == TaskResultStatus.SUCCESSFUL:
        value = task_result.return_value
        skipped = isinstance(value, dict) and "skipped" in value
        fields["status"] = TaskStatus.SKIPPED if skipped else TaskStatus.DONE
        fields["outcome"] = _short(json.dumps(value, default=str)) if value is not None else ""
    else:
        error = task_result.errors[-1] if task_result.errors else None
        # The last traceback line is "ExceptionClass: message".
        lines = (error.traceback or "").strip().splitlines() if error else []
        fields["status"] = TaskStatus.FAILED
        fields["error"] = _short(lines[-1] if lines else "failed")
    TaskRun.objects.filter(id=str(task_result.id)).update(**fields)


def _safely(handler):
    @functools.wraps(handler)
    def guarded(*args, task_result, **kwargs):
        if not getattr(task_result.task.func, "recorded", False):
            return
        try:
            handler(*args, task_result=task_result, **kwargs)
        except Exception:  # noqa: BLE001 - the status row must never break the task itself
            log.exception("Could not record a task's status")

    return guarded


def connect_signals() -> None:
    task_enqueued.connect(_safely(_on_enqueued), dispatch_uid="ops-enqueued", weak=False)
    task_started.connect(_safely(_on_started), dispatch_uid="ops-started", weak=False)
    task_finished.connect(_safely(_on_finished), dispatch_uid="ops-finished", weak=False)
