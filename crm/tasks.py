"""Background tasks of the crm (django-tasks); each is a thin call of a service."""

from django_tasks import task

from crm.services.dedup_runs import duplicate_refresh_run
from crm.services.imports.batches import import_batch_run


@task()
def duplicate_refresh_task(*, run_id: int, source: str) -> dict:
    """Refresh the duplicate review queue for a run requested from the admin."""
    return duplicate_refresh_run(run_id=run_id, source=source)


def _recorded(func):
    """Mark a task whose runs get rows in Settings › Background tasks (ops records those)."""
    func.recorded = True
    return func


# Not retried: a refused or failed import is for the person to look at, not to repeat.
@task()
@_recorded
def import_batch_task(*, batch_id: int) -> dict:
    """Write a confirmed import too large to write during the request."""
    return import_batch_run(batch_id=batch_id)
