"""`manage.py purge_imports --older-than HOURS`: drop import previews nobody confirmed."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from crm.services.imports import import_batch_purge


class Command(BaseCommand):
    help = "Delete import batches (previews and finished ones) older than HOURS."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=24.0, metavar="HOURS")

    def handle(self, *args, **options):
        hours = options["older_than"]
        if hours < 0:
            raise CommandError("--older-than must be zero or more hours.")
        deleted = import_batch_purge(older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} import batch(es) older than {hours:g} hours.")
