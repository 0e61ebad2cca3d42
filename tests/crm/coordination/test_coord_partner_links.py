"""Partner referral links: a partner closes the loop without an account; forged, expired,
withdrawn and reused links are refused, logged, and write nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from crm.models import AuditEntry, ReferralDisclosure, ReferralStatusChange
from crm.services.partner_links import referral_link_create
from tests.factories import make_contact

ADMIN_URL = "/admin/referral-links/{}/"


def _link_for(referral, **kwargs):
    _, token = referral_link_create(referral=referral, actor=None, source="command", **kwargs)
    return f"/referral-update/{token}/"


def _writes():
    return ReferralStatusChange.objects.count()


def test_a_coordinator_shares_a_referral_and_the_partner_completes_it(schools, client):
    w = schools.world
    client.force_login(w.cora)
    page = client.post(ADMIN_URL.format(schools.r_ref.pk), {"contact": "", "action": "create"})
    url = re.search(r'value="(http://testserver(/referral-update/[^"]+))"', page.content.decode())
    assert url, "the new link is shown once"
    partner = client.__class__()
    opened = partner.get(url.group(2))
    html = opened.content.decode()
    assert opened.status_code == 200
    assert "ROOS-1001" in html and "Roosevelt High" in html and "GARF-2002" not in html
    assert opened["Referrer-Policy"] == "no-referrer"
    done = partner.post(url.group(2), {"status": "completed", "outcome": "Weekly groceries"})
    assert done.status_code == 200
    schools.r_ref.refresh_from_db()
    assert schools.r_ref.status == "completed" and schools.r_ref.outcome == "Weekly groceries"
    steps = list(
        schools.r_ref.status_changes.exclude(from_status="").values_list("to_status", "reason")
    )
    assert [s for s, _ in steps] == ["accepted", "in_service", "completed"]
    assert all("Reported by Harbor Food Bank through partner link" in r for _, r in steps)
    logged = ReferralDisclosure.objects.filter(referral=schools.r_ref, action="partner")
    assert logged.count() == 2  # opened, then reported
    before = _writes()
    again = partner.post(url.group(2), {"status": "completed", "outcome": "Weekly groceries"})
    assert again.status_code in (200, 400) and _writes() == before


def test_a_decline_needs_a_reason_and_writes_nothing_without_one(schools, client):
    url = _link_for(schools.r_ref)
    before = _writes()
    response = client.post(url, {"status": "declined", "reason": " "})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert _writes() == before
    response = client.post(url, {"status": "declined", "reason": "Outside our service area"})
    assert response.status_code == 200 and _writes() == before + 1
    schools.r_ref.refresh_from_db()
    # Closing needs an outcome: the partner's reason for declining is what came of it.
    assert (schools.r_ref.status, schools.r_ref.outcome) == ("declined", "Outside our service area")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-3] + "abc",  # the signature no longer matches
        lambda token: "x" + token,  # a different secret, unsigned
        lambda token: "not-a-token",
    ],
)
def test_a_forged_link_is_refused_and_logged(schools, client, mangle):
    url = _link_for(schools.r_ref)
    token = url.split("/")[2]
    before, refusals = _writes(), AuditEntry.objects.filter(action="referral_link.refused").count()
    response = client.post(f"/referral-update/{mangle(token)}/", {"status": "accepted"})
    assert response.status_code == 404
    assert "ROOS-1001" not in response.content.decode()
    assert _writes() == before
    assert AuditEntry.objects.filter(action="referral_link.refused").count() == refusals + 1


def test_expired_withdrawn_and_replaced_links_are_gone(schools, client):
    before = _writes()
    first = _link_for(schools.r_ref)
    second = _link_for(schools.r_ref)  # making a new link withdraws the first
    assert client.get(first).status_code == 410
    assert client.post(first, {"status": "accepted"}).status_code == 410
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15)):
        assert client.get(second).status_code == 410
    assert _writes() == before


def test_a_closed_referral_takes_no_more_updates(schools, client):
    url = _link_for(schools.r_ref)
    client.post(url, {"status": "declined", "reason": "No capacity this term"})
    page = client.get(url)
    assert "This referral is closed" in page.content.decode()
    before = _writes()
    assert client.post(url, {"status": "accepted"}).status_code == 410
    assert _writes() == before


def test_another_schools_coordinator_cannot_share_the_referral(schools, client):
    client.force_login(schools.world.omar)
    assert client.get(ADMIN_URL.format(schools.r_ref.pk)).status_code == 404
    assert client.post(ADMIN_URL.format(schools.r_ref.pk), {}).status_code == 404
    client.force_login(schools.world.lee)
    assert client.get(ADMIN_URL.format(schools.r_ref.pk)).status_code in (302, 403)


def test_the_partner_contact_gets_the_link_by_email_without_the_student_id(schools, client):
    contact = make_contact(schools.food_bank, name="Rosa Diaz", email="rosa@harborfood.example")
    client.force_login(schools.world.cora)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        client.post(ADMIN_URL.format(schools.r_ref.pk), {"contact": contact.pk, "action": "create"})
    [message] = mail.outbox
    assert message.to == ["rosa@harborfood.example"]
    assert "/referral-update/" in message.body and "ROOS-1001" not in message.body
