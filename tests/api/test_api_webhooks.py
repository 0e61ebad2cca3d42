"""Webhooks: a reference receiver on loopback verifies the signature of a "partner merged"
event; failures retry with backoff; payloads follow the owner's access to referrals."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from api.models import WebhookDelivery
from api.webhooks import delivery as delivery_module
from api.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify
from api.webhooks.subscriptions import subscription_create
from crm.services.agreements import agreement_reminders_send
from crm.services.merge import partner_merge
from crm.services.referrals import referral_status_change
from tests.factories import (
    make_agreement,
    make_partner,
    make_partnership,
    make_referral,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """The reference receiver: checks the signature as an integrator's endpoint would."""

    def __init__(self, secret: str = "", status: int = 200):
        self.secret, self.status, self.received = secret, status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = verify(
                    receiver.secret,
                    timestamp=self.headers[TIMESTAMP_HEADER],
                    body=body,
                    signature=self.headers[SIGNATURE_HEADER],
                )
                receiver.received.append((ok, self.headers["X-Partnerbase-Event"], body))
                self.send_response(receiver.status if ok else 401)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def subscribe(owner, url, events):
    return subscription_create(
        owner=owner, name="receiver", url=url, events=events, actor=owner, source="admin"
    )


def test_signature_verification_reference():
    body, stamp = b'{"event":"partner.merged"}', int(time.time())
    signature = sign("s3cret", stamp, body)
    assert verify("s3cret", timestamp=str(stamp), body=body, signature=signature)
    assert not verify("other", timestamp=str(stamp), body=body, signature=signature)
    assert not verify("s3cret", timestamp=str(stamp), body=body + b" ", signature=signature)
    assert not verify(
        "s3cret", timestamp=str(stamp), body=body, signature=signature, now=stamp + 301
    )
    assert not verify("s3cret", timestamp="soon", body=body, signature=signature)


def test_receiver_gets_a_signed_partner_merged_event(world):
    with Receiver() as receiver:
        subscription = subscribe(world.pat, receiver.url, ["partner.merged", "partner.unmerged"])
        receiver.secret = subscription.secret
        survivor, loser = make_partner("Harbor Youth Services"), make_partner("Harbor Youth Inc")
        partner_merge(
            survivor=survivor, loser=loser, field_choices={}, actor=world.pat, source="api"
        )
    [(ok, event, body)] = receiver.received
    assert ok and event == "partner.merged"
    payload = json.loads(body)
    assert payload["data"]["survivor"]["id"] == survivor.pk
    assert payload["data"]["loser"] == {
        "id": loser.pk,
        "name": "Harbor Youth Inc",
        "status": "merged",
        "merged_into": survivor.pk,
    }
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.DELIVERED and delivery.attempts == 1


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_RETRY_BASE_SECONDS=10)
def test_failures_retry_with_backoff_then_give_up(world):
    with Receiver(status=500) as receiver:
        subscription = subscribe(world.pat, receiver.url, ["partner.created"])
        receiver.secret = subscription.secret
        make_partner("Westside Tutors")
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDelivery.RETRYING and delivery.attempts == 1
        first_wait = delivery.next_attempt_at - delivery.created_at
        assert dt.timedelta(seconds=9) < first_wait < dt.timedelta(seconds=12)
        delivery_module.attempt(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.RETRYING and delivery.attempts == 2
        assert delivery.next_attempt_at - delivery.created_at > dt.timedelta(seconds=19)
        delivery_module.attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.FAILED and delivery.attempts == 3
    assert delivery.response_code == 500 and len(receiver.received) == 3


def test_unreachable_receiver_is_recorded_not_raised(world):
    subscribe(world.pat, "http://127.0.0.1:9/closed", ["partner.created"])
    make_partner("Westside Tutors")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.RETRYING and delivery.last_error


def test_referral_events_only_for_owners_who_may_see_that_referral(world):
    partner = make_partner("Eastside Family Resource Center")
    referral = make_referral(world.roosevelt, partner)
    with Receiver() as receiver:
        for owner in (world.cora, world.omar, world.lee, world.ana):
            subscribe(owner, receiver.url, ["referral.status_changed"])
        referral_status_change(
            referral=referral, to_status="accepted", actor=world.cora, source="api"
        )
    owners = set(WebhookDelivery.objects.values_list("subscription__owner__username", flat=True))
    assert owners == {"cora", "ana"}
    payload = WebhookDelivery.objects.first().payload
    assert payload["data"]["referral"]["student_ref"] == referral.student_ref
    assert payload["data"]["referral"]["to_status"] == "accepted"


def test_agreement_expiring_fires_once_per_agreement_and_threshold(world):
    partnership = make_partnership(make_partner("Harbor Food Bank"), lead_staff=None)
    agreement = make_agreement(partnership, expires_on=dt.date(2025, 3, 31))
    with Receiver() as receiver:
        subscription = subscribe(world.pat, receiver.url, ["agreement.expiring"])
        receiver.secret = subscription.secret
        # Cora may not see partnerships, so she is not told about their agreements.
        subscribe(world.cora, receiver.url, ["agreement.expiring"])
        # 61 days before, 60 (fires), 60 again (a second run: nothing), 30 (fires), 29.
        for day in (29, 30, 30):
            agreement_reminders_send(today=dt.date(2025, 1, day), source="command")
        for day in (1, 2):
            agreement_reminders_send(today=dt.date(2025, 3, day), source="command")
    assert [(ok, event) for ok, event, _ in receiver.received] == [
        (True, "agreement.expiring"),
        (True, "agreement.expiring"),
    ]
    payloads = [json.loads(body)["data"]["agreement"] for *_, body in receiver.received]
    assert [p["days_before"] for p in payloads] == [60, 30]
    assert payloads[0] == {
        "id": agreement.pk,
        "kind": "data_sharing",
        "signed_on": "2024-07-01",
        "expires_on": "2025-03-31",
        "renewal_status": "current",
        "days_before": 60,
        "partnership": partnership.pk,
        "partner": {"id": partnership.partner_id, "name": "Harbor Food Bank"},
    }
    owners = set(WebhookDelivery.objects.values_list("subscription__owner__username", flat=True))
    assert owners == {"pat"}


def test_only_http_and_https_receivers(world):
    for url in (
        "ftp://example.org/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://u:p@x.org/",
    ):
        with pytest.raises(ValidationError):
            subscribe(world.pat, url, ["partner.created"])
    with pytest.raises(ValidationError):
        subscribe(world.pat, "https://example.org/hook", ["student.exported"])
