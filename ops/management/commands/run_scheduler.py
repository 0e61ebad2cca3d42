"""`manage.py run_scheduler`: enqueue the declared schedule's jobs at their times (one process).

APScheduler's cron triggers fire the jobs; each firing enqueues its task under a key of the job
and the minute, so a second scheduler (or a restart within the minute) never enqueues it twice.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from ops.runs import enqueue_once
from ops.schedule import SCHEDULE, Scheduled

log = logging.getLogger("ops.scheduler")


def fire(entry: Scheduled) -> None:
    close_old_connections()
    slot = timezone.now().replace(second=0, microsecond=0).isoformat()
    try:
        result = enqueue_once(import_string(entry.task), key=f"schedule:{entry.name}:{slot}")
    except Exception:  # noqa: BLE001 - one failed enqueue must not stop the scheduler
        log.exception("Could not enqueue %s", entry.name)
        return
    finally:
        close_old_connections()
    if result is None:
        log.info("%s for %s was already enqueued", entry.name, slot)
    else:
        log.info("Enqueued %s (%s)", entry.name, result.id)


class Command(BaseCommand):
    help = "Run the scheduler: enqueue the jobs of ops.schedule.SCHEDULE at their times."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="print the schedule and exit")

    def handle(self, *args, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for entry in SCHEDULE:
            trigger = CronTrigger.from_crontab(entry.cron, timezone=settings.TIME_ZONE)
            # A firing missed by up to 10 minutes (a restart) still runs; older ones are dropped.
            scheduler.add_job(
                fire, trigger, args=[entry], id=entry.name, misfire_grace_time=600, coalesce=True
            )
        if options["list"]:
            for job in scheduler.get_jobs():
                self.stdout.write(f"{job.id:26} {job.trigger}  -> {job.args[0].task}")
            return
        self.stdout.write(f"Scheduler running {len(SCHEDULE)} jobs; Ctrl-C stops.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
