"""`manage.py backup FILE`: the database and media files in one archive, written atomically."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format or a SQLite copy) and media to FILE (.tar)."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path)

    def handle(self, *args, output: Path, **options):
        try:
            written = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {written} ({written.stat().st_size:,} bytes).")
