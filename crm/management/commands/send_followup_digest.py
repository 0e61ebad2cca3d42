"""Send each staff member who wants it a digest of due follow-ups (email; Slack DM if set up)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from crm.services.followups import followup_digests_send


class Command(BaseCommand):
    help = "Email (and, with SLACK_BOT_TOKEN, Slack-DM) each staff member their follow-ups due."

    def handle(self, *args, **options):
        result = followup_digests_send(today=timezone.localdate(), actor=None, source="command")
        self.stdout.write(
            f"Digests: {result.emails} email(s), {result.slack_messages} Slack message(s), "
            f"{result.skipped} with nothing due."
        )
        for failure in result.failures:
            self.stderr.write(f"Failed: {failure}")
