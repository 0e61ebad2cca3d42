"""`/partners add`: no second identical partnership; "Create anyway" is reviewed at once."""

from __future__ import annotations

import json

from crm.models import (
    AuditEntry,
    CandidateStatus,
    DuplicateCandidate,
    Partner,
    Partnership,
    Touchpoint,
)
from tests.bots.test_slack_partner_add import form, last_view
from tests.factories import make_partner, make_partnership


def test_slack_add_for_a_partner_with_the_same_active_partnership_offers_a_touchpoint(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    first = make_partnership(harbor, strategic=True, agreement_type="mou", lead_staff=world.ana)
    slack.interact(slack.submission("partner_add", form(f"p:{harbor.pk}"), view_id="V0SAME"))
    assert list(Partnership.objects.all()) == [first]
    assert not Touchpoint.objects.exists()
    view = last_view(slack.stub)
    text = json.dumps(view)
    assert "already has an active strategic MOU partnership" in text
    assert "since 2024-09-01" in text
    button = next(b for b in view["blocks"] if b["type"] == "actions")["elements"][0]
    assert button["text"]["text"] == "Log a touchpoint instead"
    for _ in range(2):
        slack.interact(slack.click(button["action_id"], button["value"], view_id="V0SAME"))
    assert list(Partnership.objects.all()) == [first]
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.partner == harbor and touchpoint.summary == "Met at the spring resource fair."
    assert harbor.contacts.get().email == "maria@harborfood.org"
    assert "Logged a touchpoint" in json.dumps(last_view(slack.stub))


def test_slack_add_of_another_kind_of_partnership_still_creates_it(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    make_partnership(harbor, strategic=False, agreement_type="informal")
    slack.interact(slack.submission("partner_add", form(f"p:{harbor.pk}")))
    assert Partnership.objects.filter(partner=harbor).count() == 2
    assert "Used existing partner" in json.dumps(last_view(slack.stub))


def test_slack_log_instead_belongs_to_its_author(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    make_partnership(harbor, strategic=True, agreement_type="mou")
    slack.interact(slack.submission("partner_add", form(f"p:{harbor.pk}")))
    button = next(b for b in last_view(slack.stub)["blocks"] if b["type"] == "actions")
    value = button["elements"][0]["value"]
    slack.interact(slack.click("partnership_log_instead", value, user="U0CORA"))
    assert not Touchpoint.objects.exists()


def test_slack_create_anyway_enters_the_review_queue_at_once(world, slack):
    existing = make_partner("Harbor Community Food Bank", website="https://harborfood.org")
    slack.interact(
        slack.submission("partner_add", form("new:Harbor Community Foodbank"), view_id="V0DUP")
    )
    view = last_view(slack.stub)
    anyway = next(b for b in view["blocks"] if b["type"] == "actions")["elements"][0]
    slack.interact(slack.click(anyway["action_id"], anyway["value"], view_id="V0DUP"))
    created = Partner.objects.exclude(pk=existing.pk).get()
    pair = DuplicateCandidate.objects.get()
    assert (pair.left_id, pair.right_id) == (existing.pk, created.pk)
    assert pair.status == CandidateStatus.OPEN and pair.level == "likely" and pair.reasons
    audit = AuditEntry.objects.get(action="partner.create", channel="slack")
    assert audit.changes["queued_for_review"] == 1
