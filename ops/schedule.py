"""The one declared schedule: what runs when (crontab, in settings.TIME_ZONE). The scheduler
process (`manage.py run_scheduler`) enqueues each job at its time; the worker runs it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scheduled:
    name: str
    cron: str  # minute hour day-of-month month day-of-week
    task: str  # dotted path of an ops.runs.job task
    what: str


SCHEDULE = (
    Scheduled("daily-digest", "0 7 * * *", "ops.tasks.followup_digest", "follow-up digests"),
    Scheduled("nightly-duplicate-scan", "30 2 * * *", "ops.tasks.duplicate_scan", "review queue"),
    Scheduled(
        "weekly-retention-report",
        "0 6 * * mon",
        "ops.tasks.retention_report",
        "retention dry run (what would be anonymised)",
    ),
    Scheduled("hourly-import-purge", "5 * * * *", "ops.tasks.import_purge", "old import previews"),
    Scheduled("task-housekeeping", "*/10 * * * *", "ops.tasks.task_housekeeping", "stalled tasks"),
)
