"""Bulk writes (an import, partner_create_many) deliver the same signed webhook events as single
writes: one per created record, through the same emitter (issue 21)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from api.models import WebhookDelivery
from crm.models import Partner
from crm.services.bulk import records_create_many
from crm.services.imports import import_file
from crm.services.partners_bulk import partner_create_many
from tests.api.test_api_webhooks import Receiver, subscribe
from tests.factories import make_partner

pytestmark = pytest.mark.django_db(transaction=True)


def partners_csv(names: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["name", "contact_name"], *[[n, "Rosa Diaz"] for n in names]])
    return out.getvalue().encode()


def test_an_import_of_partners_sends_one_signed_created_event_per_partner(world):
    names = ["Harbor Food Bank", "Eastside Tutoring Collective", "Valley Legal Aid Clinic"]
    with Receiver() as receiver:
        subscription = subscribe(world.pat, receiver.url, ["partner.created"])
        receiver.secret = subscription.secret
        report = import_file(
            kind="partners", data=partners_csv(names), filename="p.csv", actor=world.pat
        )
    assert report.summary()["created"] == 3
    assert all(ok for ok, _, _ in receiver.received)
    assert [event for _, event, _ in receiver.received] == ["partner.created"] * 3
    payloads = [json.loads(body) for _, _, body in receiver.received]
    ids = sorted(p["data"]["partner"]["id"] for p in payloads)
    assert ids == sorted(Partner.objects.values_list("pk", flat=True))
    assert {p["channel"] for p in payloads} == {"import"}
    # The contacts created with them are audited too, but are no webhook event.
    assert WebhookDelivery.objects.count() == 3


def test_partner_create_many_is_heard_like_partner_create(world):
    with Receiver() as receiver:
        subscription = subscribe(world.pat, receiver.url, ["partner.created"])
        receiver.secret = subscription.secret
        made = partner_create_many(
            partners=[Partner(name="Pomona Youth Alliance"), Partner(name="Foothill Arts")],
            actor=world.pat,
            source="command",
        )
    got = sorted(json.loads(body)["data"]["partner"]["name"] for _, _, body in receiver.received)
    assert got == ["Foothill Arts", "Pomona Youth Alliance"]
    assert all(p.pk for p in made)


def test_bulk_entries_without_an_event_or_a_subscriber_deliver_nothing(world):
    partner = make_partner("Harbor Food Bank")
    subscribe(world.pat, "http://127.0.0.1:9/hooks", ["partner.merged"])
    from crm.models import Contact

    records_create_many(
        objects=[Contact(partner=partner, name="Rosa Diaz")], actor=world.pat, source="command"
    )
    partner_create_many(partners=[Partner(name="Foothill Arts")], actor=world.pat, source="admin")
    assert not WebhookDelivery.objects.exists()
