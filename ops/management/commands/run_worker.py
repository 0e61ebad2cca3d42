"""`manage.py run_worker`: put stalled tasks back on the queue, then run django-tasks' database
worker (`db_worker`) with the same options."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ops.runs import requeue_stalled


class Command(BaseCommand):
    help = "Requeue tasks left running by a stopped worker, then run the database task worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stalled-after",
            type=float,
            default=None,
            metavar="SECONDS",
            help="a task running longer than this is taken as abandoned (TASK_STALL_SECONDS)",
        )
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args, **options):
        seconds = options["stalled_after"]
        if seconds is None:
            seconds = settings.TASK_STALL_SECONDS
        requeued = requeue_stalled(older_than=dt.timedelta(seconds=seconds))
        if requeued:
            self.stdout.write(f"Requeued {requeued} stalled task(s).")
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            verbosity=options["verbosity"],
        )
