"""Background tasks (django-tasks): webhook deliveries, retried with exponential backoff."""

from __future__ import annotations

from django_tasks import default_task_backend, task

from api.models import WebhookDelivery
from api.webhooks.delivery import attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = attempt(delivery_id)
    if delivery is None:
        return "gone"
    if delivery.status == WebhookDelivery.RETRYING and default_task_backend.supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)
    # Without deferred tasks, `manage.py webhooks_retry` (cron, every minute) sends due retries.
    return delivery.status
