"""`manage.py load_reference_data`: LA County districts, schools and vocabularies, idempotent."""

import time

from django.core.management.base import BaseCommand, CommandError

from crm.services.reference import DISTRICTS_CSV, SCHOOLS_CSV, ReferenceDataError, reference_load


class Command(BaseCommand):
    help = (
        "Load every district and school of the CDE files (create or update by CDS code) and the "
        "service categories and equity focus groups. Safe to run again: unchanged rows stay as "
        "they are. A bad row stops the load before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--districts", default=str(DISTRICTS_CSV), help="districts CSV")
        parser.add_argument("--schools", default=str(SCHOOLS_CSV), help="schools CSV")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            report = reference_load(
                actor=None,
                source="command",
                districts_path=options["districts"],
                schools_path=options["schools"],
            )
        except ReferenceDataError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Districts: {report.districts}")
        self.stdout.write(f"Schools: {report.schools}")
        self.stdout.write(f"Service categories: {report.service_categories}")
        self.stdout.write(f"Equity focus groups: {report.equity_focus_groups}")
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Reference data loaded in {elapsed:.1f} s."))
        else:
            self.stdout.write(f"Already up to date: nothing changed ({elapsed:.1f} s).")
