"""`manage.py find_duplicates --csv`: flag likely duplicate rows of a spreadsheet, no database."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from crm.dedup.csvscan import scan_csv, write_pairs

OPTIONAL_COLUMNS = ("website", "address", "zip", "phone", "ein")


class Command(BaseCommand):
    help = "Write the candidate duplicate pairs of a CSV of organizations to PAIRS.csv."

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="input CSV (UTF-8, with or without BOM)")
        parser.add_argument("--id-column", required=True)
        parser.add_argument("--name-column", required=True)
        for column in OPTIONAL_COLUMNS:
            parser.add_argument(f"--{column}-column", default=None)
        parser.add_argument("--output", required=True, help="where to write PAIRS.csv")

    def handle(self, *args, **options):
        bar = tqdm(total=0, unit="row", disable=options["verbosity"] < 1, file=self.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            pairs = scan_csv(
                stream=options["csv"],
                id_column=options["id_column"],
                name_column=options["name_column"],
                progress=progress,
                **{f"{c}_column": options[f"{c}_column"] for c in OPTIONAL_COLUMNS},
            )
            written = write_pairs(pairs, options["output"])
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(f"{written} candidate pairs written to {options['output']}")
