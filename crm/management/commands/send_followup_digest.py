"""Send each staff member who wants it a digest of due follow-ups (email; Slack DM if set up)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from crm.services.agreements import agreement_reminders_send
from crm.services.followups import followup_digests_send


class Command(BaseCommand):
    help = (
        "Email (and, with SLACK_BOT_TOKEN, Slack-DM) each staff member their follow-ups due, "
        "and remind lead staff of agreements expiring in 60 and 30 days."
    )

    def handle(self, *args, **options):
        result = followup_digests_send(today=timezone.localdate(), actor=None, source="command")
        self.stdout.write(
            f"Digests: {result.emails} email(s), {result.slack_messages} Slack message(s), "
            f"{result.skipped} with nothing due."
        )
        reminders = agreement_reminders_send(today=timezone.localdate(), source="command")
        self.stdout.write(f"Agreement reminders: {reminders.sent} sent.")
        for failure in [*result.failures, *reminders.failures]:
            self.stderr.write(f"Failed: {failure}")
