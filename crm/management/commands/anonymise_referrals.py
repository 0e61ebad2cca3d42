"""Anonymise closed referrals older than REFERRAL_RETENTION_DAYS (a dry run unless --apply)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from crm.services.coordination import referral_anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymise closed referrals past the retention period: the student id becomes a random "
        "token and notes, outcome and grade are cleared; counts stay. Dry run unless --apply."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="only say what would change")
        mode.add_argument("--apply", action="store_true", help="anonymise them")

    def handle(self, *args, apply=False, dry_run=False, **options):
        if apply and dry_run:
            raise CommandError("Choose either --dry-run or --apply.")
        result = referral_anonymise_expired(
            today=timezone.localdate(), dry_run=not apply, actor=None, source="command"
        )
        ids = ", ".join(f"#{pk}" for pk in result.referral_ids[:50])
        more = " …" if result.count > 50 else ""
        if not apply:
            self.stdout.write(
                f"Dry run: {result.count} closed referral(s) last changed before "
                f"{result.cutoff} would be anonymised{': ' + ids + more if ids else ''}."
            )
            if result.count:
                self.stdout.write("Run again with --apply to anonymise them.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {result.count} closed referral(s) last changed before {result.cutoff}."
            )
        )
