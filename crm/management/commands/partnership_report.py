"""`manage.py partnership_report --fy 2024-25 --format text|csv|xlsx|pdf [--output FILE]`."""

from django.core.management.base import BaseCommand, CommandError

from crm.fiscal import fy_label
from crm.reports import render
from crm.reports.annual import check_fiscal_year
from crm.selectors.reports import annual_report, last_completed_fy

RENDERERS = {
    "text": render.report_text,
    "csv": render.report_csv,
    "xlsx": render.report_xlsx,
    "pdf": render.report_pdf,
}


class Command(BaseCommand):
    help = "Write the annual partnership report for a fiscal year (default: the last completed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fy", default=None, help="fiscal year, like 2024-25 (default: the last completed)"
        )
        parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
        parser.add_argument(
            "--output", default=None, help="file to write (required for xlsx and pdf)"
        )

    def handle(self, *args, **options):
        fmt, output = options["format"], options["output"]
        try:
            fiscal_year = check_fiscal_year(options["fy"]) if options["fy"] else last_completed_fy()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if fmt in ("xlsx", "pdf") and not output:
            raise CommandError(f"{fmt} is a binary format: give --output FILE.")
        content = RENDERERS[fmt](annual_report(fiscal_year=fiscal_year))
        if not output:
            self.stdout.write(content, ending="" if content.endswith("\n") else "\n")
            return
        try:
            if isinstance(content, bytes):
                with open(output, "wb") as handle:
                    handle.write(content)
            else:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.write(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
        self.stdout.write(f"FY {fy_label(fiscal_year)} report ({fmt}) written to {output}")
