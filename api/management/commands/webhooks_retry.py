"""Send the webhook deliveries whose retry time has come (for a task queue without deferral)."""

from django.core.management.base import BaseCommand

from api.tasks import deliver_webhook
from api.webhooks.delivery import due


class Command(BaseCommand):
    help = "Retry webhook deliveries that are due."

    def handle(self, *args, **options):
        ids = list(due())
        for pk in ids:
            deliver_webhook.enqueue(pk)
        self.stdout.write(f"{len(ids)} deliveries retried.")
