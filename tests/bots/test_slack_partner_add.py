"""`/partners add`: typeahead, submission, the duplicate prompt's buttons, and writing once."""

from __future__ import annotations

import json

import pytest

from bots.links import partner_admin_url
from bots.models import PendingForm
from crm.models import AuditEntry, Contact, Partner, Partnership, Touchpoint
from tests.bots.slack_support import multi, plain, select
from tests.factories import make_partner


def form(organization: str, **extra) -> dict:
    values = {
        "organization": select(organization, "external_select"),
        "kind": select("nonprofit"),
        "agreement": select("mou"),
        "strategic": multi(["yes"], "checkboxes"),
        "contact_name": plain("Maria Lopez"),
        "contact_email": {"type": "email_text_input", "value": "maria@harborfood.org"},
        "contact_phone": plain(""),
        "note": plain("Met at the spring resource fair."),
    }
    values.update(extra)
    return values


def last_view(stub, method="views.update") -> dict:
    view = stub.called(method)[-1]["params"]["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_slack_typeahead_lists_matches_with_status_then_create_new(world, slack):
    make_partner("Harbor Community Food Bank")
    make_partner("Harbor Youth Sports", status="prospect")
    payload = slack.suggestion("partner_pick", "harbor", callback_id="partner_add")
    options = slack.interact(payload).json()["options"]
    labels = [o["text"]["text"] for o in options]
    assert len(labels) == 3
    assert labels[-1] == "Create new: harbor"
    assert options[-1]["value"] == "new:harbor"
    assert any("Harbor Youth Sports · prospect" in label for label in labels[:2])
    assert all(o["value"].startswith("p:") for o in options[:2])


def test_slack_typeahead_in_the_log_modal_offers_no_create(world, slack):
    make_partner("Harbor Community Food Bank")
    payload = slack.suggestion("partner_pick", "harb", callback_id="touchpoint_log")
    options = slack.interact(payload).json()["options"]
    assert [o["value"][:2] for o in options] == ["p:"]


def test_slack_place_typeahead(world, slack):
    payload = slack.suggestion("place_pick", "roose", callback_id="partner_add")
    options = slack.interact(payload).json()["options"]
    assert [o["value"] for o in options] == [f"s:{world.roosevelt.pk}"]


def test_slack_add_new_partner(world, slack):
    payload = slack.submission(
        "partner_add",
        form(
            "new:Harbor Community Food Bank",
            places=multi([f"s:{world.roosevelt.pk}"]),
        ),
    )
    response = slack.interact(payload)
    assert response.json()["response_action"] == "update"
    partner = Partner.objects.get()
    assert partner.name == "Harbor Community Food Bank"
    assert list(partner.schools_served.all()) == [world.roosevelt]
    partnership = Partnership.objects.get()
    assert partnership.strategic and partnership.agreement_type == "mou"
    assert partnership.scope == "schools" and partnership.lead_staff == world.pat
    assert Contact.objects.get().email == "maria@harborfood.org"
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.channel == "slack" and touchpoint.staff == world.pat
    assert touchpoint.contact == Contact.objects.get()  # the modal's contact is whom it was with
    assert set(
        AuditEntry.objects.filter(channel="slack", actor=world.pat).values_list("action", flat=True)
    ) >= {"partner.create", "partnership.create", "contact.create", "touchpoint.create"}
    url = partner_admin_url(partner.pk)
    assert url.startswith("https://pb.example.org/admin/")
    assert url in json.dumps(last_view(slack.stub))
    replies = slack.stub.called("/response/modal")
    assert len(replies) == 1 and url in replies[0]["params"]["text"]


def test_slack_add_with_existing_partner_picked(world, slack):
    harbor = make_partner("Harbor Community Food Bank")
    slack.interact(slack.submission("partner_add", form(f"p:{harbor.pk}")))
    assert Partner.objects.count() == 1
    assert Partnership.objects.get().partner == harbor


@pytest.mark.parametrize(
    "values, block, message",
    [
        ({"organization": select(None, "external_select")}, "organization", "Type the"),
        ({"organization": select("new:   ", "external_select")}, "organization", "Type the"),
        ({"contact_name": plain("")}, "contact_name", "contact's name"),
    ],
)
def test_slack_add_bad_form_shows_errors(world, slack, values, block, message):
    response = slack.interact(slack.submission("partner_add", {**form("new:Harbor"), **values}))
    body = response.json()
    assert body["response_action"] == "errors"
    assert message in body["errors"][block]
    assert Partner.objects.count() == 0


def test_slack_add_refused_by_role(world, slack):
    payload = slack.submission("partner_add", form("new:Harbor Food"), user="U0CORA")
    slack.interact(payload)
    assert Partner.objects.count() == 0
    assert "your role does not allow" in json.dumps(last_view(slack.stub))


def prompt(world, slack, *, view_id="V0DUP"):
    existing = make_partner("Harbor Community Food Bank", website="https://harborfood.org")
    payload = slack.submission(
        "partner_add", form("new:Harbor Community Foodbank"), view_id=view_id
    )
    slack.interact(payload)
    view = last_view(slack.stub)
    return existing, view


def test_slack_duplicate_prompt_stops_the_flow(world, slack):
    existing, view = prompt(world, slack)
    text = json.dumps(view)
    assert "Did you mean" in text and "Harbor Community Food Bank" in text
    assert "likely duplicate" in text
    assert Partner.objects.count() == 1
    assert Partnership.objects.count() == 0
    actions = [
        b["accessory"]["action_id"] for b in view["blocks"] if b.get("accessory", {}).get("value")
    ]
    assert actions == [f"dup_use_existing:{existing.pk}"]


def _buttons(view):
    use = next(b["accessory"] for b in view["blocks"] if "accessory" in b)
    anyway = next(b for b in view["blocks"] if b["type"] == "actions")["elements"][0]
    return use, anyway


def test_slack_duplicate_prompt_use_existing(world, slack):
    existing, view = prompt(world, slack)
    use, _ = _buttons(view)
    slack.interact(slack.click(use["action_id"], use["value"], view_id="V0DUP"))
    assert Partner.objects.count() == 1
    assert Partnership.objects.get().partner == existing
    assert AuditEntry.objects.filter(action="partner.use_existing", object_id=existing.pk).exists()
    assert "Used existing partner" in json.dumps(last_view(slack.stub))


def test_slack_duplicate_prompt_create_anyway_double_click_writes_once(world, slack):
    _, view = prompt(world, slack)
    _, anyway = _buttons(view)
    for _ in range(2):
        slack.interact(slack.click(anyway["action_id"], anyway["value"], view_id="V0DUP"))
    assert Partner.objects.count() == 2
    assert Partnership.objects.count() == 1 and Touchpoint.objects.count() == 1
    created = AuditEntry.objects.get(action="partner.create", channel="slack")
    assert created.changes["created_anyway_over"][0]["name"] == "Harbor Community Food Bank"


def test_slack_duplicate_prompt_belongs_to_its_author(world, slack):
    _, view = prompt(world, slack)
    _, anyway = _buttons(view)
    world_cora_click = slack.click(anyway["action_id"], anyway["value"], user="U0CORA")
    slack.interact(world_cora_click)
    assert Partner.objects.count() == 1
    assert PendingForm.objects.count() == 1


@pytest.mark.parametrize("retry_header", [{}, {"X-Slack-Retry-Num": "1"}])
def test_slack_repeated_submission_writes_once(world, slack, retry_header):
    payload = slack.submission("partner_add", form("new:Harbor Community Food Bank"))
    slack.interact(payload)
    slack.interact(payload, headers={**retry_header, "X-Slack-Retry-Reason": "http_timeout"})
    assert Partner.objects.count() == 1
    assert Partnership.objects.count() == 1
    assert Touchpoint.objects.count() == 1
    assert len(slack.stub.called("/response/modal")) == 2


def test_slack_repeated_duplicate_prompt_reuses_the_token(world, slack):
    make_partner("Harbor Community Food Bank", website="https://harborfood.org")
    payload = slack.submission("partner_add", form("new:Harbor Community Foodbank"))
    slack.interact(payload)
    slack.interact(payload)
    assert PendingForm.objects.count() == 1
    first, second = (json.dumps(c["params"]) for c in slack.stub.called("views.update")[-2:])
    assert first == second


def test_slack_expired_duplicate_prompt_writes_nothing(world, slack):
    import datetime as dt

    from django.utils import timezone

    _, view = prompt(world, slack)
    _, anyway = _buttons(view)
    PendingForm.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    slack.interact(slack.click(anyway["action_id"], anyway["value"], view_id="V0DUP"))
    assert Partner.objects.count() == 1
    assert "expired" in json.dumps(last_view(slack.stub))


def test_slack_add_failure_tells_the_person_and_writes_nothing(world, slack, monkeypatch):
    from crm.services import intake

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake, "touchpoint_create", broken)
    slack.interact(slack.submission("partner_add", form("new:Harbor Community Food Bank")))
    assert Partner.objects.count() == 0 and Partnership.objects.count() == 0
    assert "nothing was saved" in json.dumps(last_view(slack.stub))
