"""`manage.py ccspp_report (--school CDS | --district CDS | --county) --fy 2024-25
--format text|csv|xlsx|pdf [--output FILE]`: a CCSPP progress pack."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from crm.reports import pack_render
from crm.reports.annual import check_fiscal_year
from crm.selectors.packs import resolve_pack
from crm.selectors.reports import last_completed_fy

RENDERERS = {
    "text": pack_render.pack_text,
    "csv": pack_render.pack_csv,
    "xlsx": pack_render.pack_xlsx,
    "pdf": pack_render.pack_pdf,
}


class Command(BaseCommand):
    help = "Write a CCSPP progress pack for one school, one district (LEA) or the county."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--school", default="", help="the school's 14-digit CDS code")
        scope.add_argument("--district", default="", help="the district's 14-digit CDS code")
        scope.add_argument("--county", action="store_true", help="every school in the county")
        parser.add_argument("--fy", default=None, help="like 2024-25 (default: last completed)")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
        parser.add_argument("--output", default=None, help="file (required for xlsx and pdf)")

    def handle(self, *args, **options):
        fmt, output = options["format"], options["output"]
        if fmt in ("xlsx", "pdf") and not output:
            raise CommandError(f"{fmt} is a binary format: give --output FILE.")
        try:
            fiscal_year = check_fiscal_year(options["fy"]) if options["fy"] else last_completed_fy()
            pack = resolve_pack(
                fiscal_year=fiscal_year,
                today=timezone.localdate(),
                school_cds=options["school"],
                district_cds=options["district"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        content = RENDERERS[fmt](pack)
        if not output:
            self.stdout.write(content, ending="" if content.endswith("\n") else "\n")
            return
        mode, kwargs = ("wb", {}) if isinstance(content, bytes) else ("w", {"encoding": "utf-8"})
        try:
            with open(output, mode, **kwargs) as handle:
                handle.write(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
        self.stdout.write(f"{pack_render.pack_title(pack)} ({fmt}) written to {output}")
