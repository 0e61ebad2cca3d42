"""Background tasks of the crm (django-tasks); each is a thin call of a service."""

from django_tasks import task

from crm.services.dedup_runs import duplicate_refresh_run


@task()
def duplicate_refresh_task(*, run_id: int, source: str) -> dict:
    """Refresh the duplicate review queue for a run requested from the admin."""
    return duplicate_refresh_run(run_id=run_id, source=source)
