"""The scheduled jobs, as background tasks: thin calls into the crm services (like commands)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from ops.runs import job, requeue_stalled

SOURCE = "system"


@job(retries=3, backoff=60)
def followup_digest() -> dict:
    """E-mail (and Slack-DM) each staff member who wants it the follow-ups due today."""
    from crm.services.followups import followup_digests_send

    result = followup_digests_send(today=timezone.localdate(), actor=None, source=SOURCE)
    return {
        "emails": result.emails,
        "slack_messages": result.slack_messages,
        "skipped": result.skipped,
        "failures": list(result.failures)[:20],
    }


@job(retries=2, backoff=300)
def duplicate_scan() -> dict:
    """Scan the live partners and bring the duplicate review queue up to date."""
    from crm.services.dedup import duplicate_queue_refresh

    summary = duplicate_queue_refresh(actor=None, source=SOURCE)
    return summary.as_dict()


@job(retries=2, backoff=300)
def retention_report() -> dict:
    """What the referral retention would anonymise (a dry run: nothing changes)."""
    from crm.services.coordination import referral_anonymise_expired

    result = referral_anonymise_expired(
        today=timezone.localdate(), dry_run=True, actor=None, source=SOURCE
    )
    return {"would_anonymise": result.count, "cutoff": str(result.cutoff)}


@job(retries=3, backoff=60)
def import_purge() -> dict:
    """Drop import previews nobody confirmed within IMPORT_PURGE_HOURS."""
    from crm.services.imports import import_batch_purge

    hours = settings.IMPORT_PURGE_HOURS
    return {"deleted": import_batch_purge(older_than=dt.timedelta(hours=hours))}


@job(retries=0)
def task_housekeeping() -> dict:
    """Requeue tasks whose worker died mid-run; forget finished task rows past their keep time."""
    from ops.models import TaskClaim, TaskRun

    requeued = 0
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        requeued = requeue_stalled(older_than=dt.timedelta(seconds=settings.TASK_STALL_SECONDS))
    cutoff = timezone.now() - dt.timedelta(days=settings.TASK_KEEP_DAYS)
    forgotten, _ = TaskRun.objects.filter(finished_at__lt=cutoff).delete()
    TaskClaim.objects.filter(created_at__lt=cutoff).delete()
    return {"requeued": requeued, "forgotten": forgotten}
