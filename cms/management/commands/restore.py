"""`manage.py restore FILE`: load a backup into an empty (or disposable) database, with media."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into this database; replaces its contents."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing")

    def handle(self, *args, archive: Path, yes: bool, **options):
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        if not yes and input("This replaces the database's contents. Type 'yes': ") != "yes":
            raise CommandError("Nothing restored.")
        try:
            restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {archive}.")
