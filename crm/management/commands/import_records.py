"""`manage.py import_records KIND FILE`: the import service for large files, with a summary."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from crm.selectors.partners import partner_index
from crm.services.imports import (
    DECISIONS,
    KINDS,
    SKIP,
    ImportRefused,
    import_apply,
    import_read,
)


class Command(BaseCommand):
    help = "Import a CSV or XLSX of one kind of record; strict (all or nothing) unless told."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--strict",
            action="store_true",
            default=True,
            help="any invalid row means nothing is written (the default)",
        )
        parser.add_argument(
            "--no-strict",
            dest="strict",
            action="store_false",
            help="write the valid rows and report the skipped ones",
        )
        parser.add_argument(
            "--duplicates",
            choices=DECISIONS,
            default=SKIP,
            help="what to do with rows that are likely duplicates of partners (default: skip)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        steps = tqdm(
            total=3, unit="step", disable=options["verbosity"] < 1, file=self.stderr, leave=False
        )
        try:
            steps.set_description("reading")
            rows, headers = import_read(kind=options["kind"], data=data, filename=path.name)
            steps.update()
            if options["kind"] == "partners":
                # A fresh process builds the duplicate index first (seconds at 100k partners).
                steps.set_description("loading existing partners for the duplicate check")
                partner_index()
            steps.set_description(f"checking and writing {len(rows):,} rows")
            report = import_apply(
                kind=options["kind"],
                rows=rows,
                headers=headers,
                actor=None,
                source="import",
                strict=options["strict"],
                dry_run=options["dry_run"],
                default_decision=options["duplicates"],
            )
            steps.update(2)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        finally:
            steps.close()
        for row in report.rows:
            for column, message in row.errors:
                self.stderr.write(f"row {row.number}, {column}: {message}")
            for match in row.matches if row.status == "duplicate" else ():
                where = f"partner #{match['id']}" if "id" in match else f"row {match['row']}"
                self.stdout.write(
                    f"row {row.number}: likely duplicate of {match['name']} ({where}): "
                    f"{match['reasons']}"
                )
        s = report.summary()
        self.stdout.write(
            f"created {s['created']}, updated {s['updated']}, linked {s['linked']}, "
            f"duplicates {s['duplicates']}, skipped {s['skipped']}, errors {s['errors']}"
        )
        self.stdout.write(report.message)
        if s["errors"]:
            raise CommandError(f"{s['errors']} row(s) had errors; see above.")
