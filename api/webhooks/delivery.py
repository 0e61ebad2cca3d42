"""One delivery attempt: sign, POST, record; on failure schedule the next with backoff."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery
from api.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A receiver that redirects is a failure: following could lead off to another host.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Try one delivery now; returns it with the outcome recorded."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (
            WebhookDelivery.DELIVERED,
            WebhookDelivery.FAILED,
        ):
            return delivery
        subscription = delivery.subscription
        body = body_of(delivery)
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Partnerbase-Webhooks/1",
            "X-Partnerbase-Event": delivery.event,
            "X-Partnerbase-Delivery": str(delivery.event_id),
            TIMESTAMP_HEADER: str(stamp),
            SIGNATURE_HEADER: sign(subscription.secret, stamp, body),
        }
        delivery.attempts += 1
        try:
            code, error = _post(subscription.url, body, headers), ""
        except (OSError, ValueError) as err:
            code, error = None, str(err)[:255] or type(err).__name__
        delivery.response_code = code
        now = timezone.now()
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                WebhookDelivery.DELIVERED, now, None,
            )  # fmt: skip
            delivery.last_error = ""
        else:
            delivery.last_error = error or f"The receiver answered {code}."
            if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not subscription.active:
                delivery.status, delivery.next_attempt_at = WebhookDelivery.FAILED, None
            else:
                delivery.status = WebhookDelivery.RETRYING
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
    return delivery


def due(now: dt.datetime | None = None):
    """Deliveries whose retry time has come (for a queue without deferred tasks)."""
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.RETRYING, next_attempt_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)
