"""`manage.py find_duplicates`: fill the review queue from the database, or scan a CSV (--csv).

Without --csv it scans the live partners and refreshes the admin's duplicate review queue.
With --csv it needs no database and writes the flagged pairs and their clusters to PAIRS.csv.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from crm.dedup.cluster import Edge, cluster_pairs
from crm.dedup.csvscan import scan_csv, write_pairs
from crm.services.dedup import duplicate_queue_refresh

OPTIONAL_COLUMNS = ("website", "address", "zip", "phone", "ein")


class Command(BaseCommand):
    help = (
        "Scan live partners and refresh the duplicate review queue; with --csv, write the "
        "candidate duplicate pairs of a CSV of organizations to PAIRS.csv instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv", help="spreadsheet mode: input CSV (UTF-8, with or without BOM)"
        )
        parser.add_argument("--id-column")
        parser.add_argument("--name-column")
        for column in OPTIONAL_COLUMNS:
            parser.add_argument(f"--{column}-column", default=None)
        parser.add_argument("--output", help="spreadsheet mode: where to write PAIRS.csv")

    def _bar(self, options, unit: str):
        bar = tqdm(total=0, unit=unit, disable=options["verbosity"] < 1, file=self.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        return bar, progress

    def handle(self, *args, **options):
        if options["csv"]:
            return self._spreadsheet(options)
        spreadsheet_only = ["id_column", "name_column", "output"] + [
            f"{c}_column" for c in OPTIONAL_COLUMNS
        ]
        given = [f"--{o.replace('_', '-')}" for o in spreadsheet_only if options[o]]
        if given:
            raise CommandError(f"{', '.join(given)} only work with --csv FILE.")
        bar, progress = self._bar(options, "pair")
        try:
            summary = duplicate_queue_refresh(actor=None, source="command", progress=progress)
        finally:
            bar.close()
        self.stdout.write(
            f"Scanned {summary.partners} live partners: {summary.pairs_found} candidate pairs. "
            f"Queue: {summary.inserted} new, {summary.updated} updated, "
            f"{summary.reopened} skipped pairs reopened, {summary.unchanged} unchanged, "
            f"{summary.kept_not_duplicate} kept as not a duplicate, "
            f"{summary.closed_merged} closed (partner merged), "
            f"{summary.withdrawn} withdrawn (no longer flagged); "
            f"{summary.clusters} clusters of three or more records."
        )

    def _spreadsheet(self, options):
        missing = [
            f"--{o}"
            for o in ("id-column", "name-column", "output")
            if not options[o.replace("-", "_")]
        ]
        if missing:
            raise CommandError(f"Spreadsheet mode needs {', '.join(missing)}.")
        bar, progress = self._bar(options, "row")
        try:
            pairs = scan_csv(
                stream=options["csv"],
                id_column=options["id_column"],
                name_column=options["name_column"],
                progress=progress,
                **{f"{c}_column": options[f"{c}_column"] for c in OPTIONAL_COLUMNS},
            )
            clusters = cluster_pairs(Edge(p.left_id, p.right_id, p.score) for p in pairs)
            written = write_pairs(pairs, options["output"], clusters=clusters)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(
            f"{written} candidate pairs in {len(clusters)} clusters written to {options['output']}"
        )
