"""`/partners edit` and the "Edit" buttons: the form, saving through `partner_update`, a rename
that looks like an existing partner ("Did you mean…?", "Save anyway"), retries, and roles."""

from __future__ import annotations

import json
import time

import pytest

from bots.links import partner_admin_url
from bots.models import PendingForm
from crm.models import AuditEntry, DuplicateCandidate, Partner
from tests.bots.slack_support import plain
from tests.factories import make_partner


def opened_view(stub) -> dict:
    view = stub.called("views.open")[-1]["params"]["view"]
    return json.loads(view) if isinstance(view, str) else view


def last_view(stub) -> dict:
    view = stub.called("views.update")[-1]["params"]["view"]
    return json.loads(view) if isinstance(view, str) else view


def initial(view: dict) -> dict:
    return {b["block_id"]: b["element"].get("initial_value", "") for b in view["blocks"]}


def edit_form(**changes) -> dict:
    values = {
        "name": "Valley Youth Tutoring",
        "aliases": "",
        "website": "",
        "ein": "",
        "phone": "",
        "street": "",
        "city": "",
        "zip": "",
    }
    values.update(changes)
    return {block: plain(value) for block, value in values.items()}


def submit(slack, partner, *, user="U0PAT", view_id="V0EDIT", view_hash="hash-1", **changes):
    meta = {"partner_id": partner.pk, "response_url": f"{slack.stub.url}/response/modal"}
    payload = slack.submission(
        "partner_edit",
        edit_form(**changes),
        view_id=view_id,
        view_hash=view_hash,
        metadata=meta,
        user=user,
    )
    return slack.interact(payload)


def message_click(slack, action_id: str, value: str, *, user="U0PAT") -> dict:
    """A button in an ephemeral message (not a modal): it carries a response_url."""
    return {
        "type": "block_actions",
        **slack.who(user, "T0TEST"),
        "trigger_id": "999.000.trigger",
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": f"{slack.stub.url}/response/button",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }


def edit_buttons(blocks) -> list[dict]:
    return [b["accessory"] for b in blocks if b.get("accessory", {}).get("text", {}).get("text")]


def test_edit_by_name_opens_the_filled_form(world, slack):
    harbor = make_partner(
        "Harbor Community Food Bank", website="https://harborfood.org", aliases=["HCFB"]
    )
    make_partner("Harbor Youth Sports")
    body = slack.command("edit harbor community food bank").json()
    assert "Looking for" in body["text"]
    view = opened_view(slack.stub)
    assert view["callback_id"] == "partner_edit"
    assert json.loads(view["private_metadata"])["partner_id"] == harbor.pk
    values = initial(view)
    assert values["name"] == "Harbor Community Food Bank"
    assert values["website"] == "https://harborfood.org"
    assert values["aliases"] == "HCFB"


def test_edit_of_an_ambiguous_name_lists_partners_with_edit_buttons(world, slack):
    make_partner("Harbor Community Food Bank")
    sports = make_partner("Harbor Youth Sports")
    slack.command("edit harbor")
    assert not slack.stub.called("views.open")
    answer = slack.stub.called("/response/command")[0]["params"]
    assert "Which partner do you want to edit?" in json.dumps(answer["blocks"])
    buttons = {b["value"]: b for b in edit_buttons(answer["blocks"])}
    assert str(sports.pk) in buttons and len(buttons) == 2
    button = buttons[str(sports.pk)]
    slack.interact(message_click(slack, button["action_id"], button["value"]))
    assert initial(opened_view(slack.stub))["name"] == "Harbor Youth Sports"


def test_find_offers_edit_only_to_those_who_may_change_partners(world, slack):
    make_partner("Harbor Community Food Bank")
    slack.command("find harbor food")
    staff = slack.stub.called("/response/command")[-1]["params"]["blocks"]
    assert len(edit_buttons(staff)) == 1
    slack.command("find harbor food", user="U0CORA")
    coordinator = slack.stub.called("/response/command")[-1]["params"]["blocks"]
    assert edit_buttons(coordinator) == []


def test_saving_the_form_updates_the_partner_through_the_service(world, slack):
    valley = make_partner("Valley Youth Tutoring")
    response = submit(
        slack,
        valley,
        website="https://valleytutoring.org",
        phone="(818) 555-0142",
        street="12 Elm St",
        zip="91331",
        aliases="VYT\n  Valley Tutors  ",
    )
    assert response.json()["response_action"] == "update"
    valley.refresh_from_db()
    assert valley.website == "https://valleytutoring.org"
    assert valley.phone == "(818) 555-0142" and valley.zip == "91331"
    assert valley.aliases == ["VYT", "Valley Tutors"]
    entry = AuditEntry.objects.get(action="partner.update", object_id=valley.pk)
    assert entry.channel == "slack" and entry.actor == world.pat
    url = partner_admin_url(valley.pk)
    assert "Saved" in json.dumps(last_view(slack.stub)) and url in json.dumps(last_view(slack.stub))
    assert url in slack.stub.called("/response/modal")[0]["params"]["text"]


def rename_prompt(world, slack):
    existing = make_partner("Harbor Community Food Bank", website="https://harborfood.org")
    valley = make_partner("Valley Youth Tutoring")
    submit(slack, valley, name="Harbor Community Foodbank")
    return existing, valley, last_view(slack.stub)


def test_a_rename_like_an_existing_partner_asks_first(world, slack):
    existing, valley, view = rename_prompt(world, slack)
    text = json.dumps(view, ensure_ascii=False)
    assert "Did you mean" in text and "Harbor Community Food Bank" in text
    assert partner_admin_url(existing.pk) in text
    # The reasons carry their signed weights and the total, as on every other path.
    assert "likely duplicate" in text and "total +" in text
    valley.refresh_from_db()
    assert valley.name == "Valley Youth Tutoring"
    assert not AuditEntry.objects.filter(action="partner.update").exists()


def anyway_button(view) -> dict:
    return next(b for b in view["blocks"] if b["type"] == "actions")["elements"][0]


def test_save_anyway_renames_once_and_queues_the_pair(world, slack):
    existing, valley, view = rename_prompt(world, slack)
    button = anyway_button(view)
    for _ in range(2):
        slack.interact(slack.click(button["action_id"], button["value"], view_id="V0EDIT"))
    valley.refresh_from_db()
    assert valley.name == "Harbor Community Foodbank"
    entry = AuditEntry.objects.get(action="partner.update", object_id=valley.pk)
    assert entry.changes["renamed_anyway_over"][0]["id"] == existing.pk
    assert DuplicateCandidate.objects.filter(
        left_id__in=[existing.pk, valley.pk], right_id__in=[existing.pk, valley.pk]
    ).exists()
    assert "queued for review" in json.dumps(last_view(slack.stub))


def test_the_prompt_belongs_to_its_author(world, slack):
    _, valley, view = rename_prompt(world, slack)
    button = anyway_button(view)
    slack.interact(slack.click(button["action_id"], button["value"], user="U0CORA"))
    valley.refresh_from_db()
    assert valley.name == "Valley Youth Tutoring"
    assert "expired" in json.dumps(last_view(slack.stub))


@pytest.mark.parametrize("retry_header", [{}, {"X-Slack-Retry-Num": "1"}])
def test_a_retried_submission_saves_once(world, slack, retry_header):
    valley = make_partner("Valley Youth Tutoring")
    submit(slack, valley, phone="(818) 555-0142")
    meta = {"partner_id": valley.pk, "response_url": f"{slack.stub.url}/response/modal"}
    payload = slack.submission(
        "partner_edit", edit_form(phone="(818) 555-0199"), view_id="V0EDIT", metadata=meta
    )
    slack.interact(payload, headers={**retry_header, "X-Slack-Retry-Reason": "http_timeout"})
    valley.refresh_from_db()
    assert valley.phone == "(818) 555-0142"
    assert AuditEntry.objects.filter(action="partner.update").count() == 1


def test_a_repeated_rename_prompt_reuses_its_token(world, slack):
    make_partner("Harbor Community Food Bank", website="https://harborfood.org")
    valley = make_partner("Valley Youth Tutoring")
    for _ in range(2):
        submit(slack, valley, name="Harbor Community Foodbank")
    assert PendingForm.objects.filter(kind="partner_edit").count() == 1


def test_a_coordinator_is_refused_politely_everywhere(world, slack):
    valley = make_partner("Valley Youth Tutoring")
    body = slack.command("edit valley youth tutoring", user="U0CORA").json()
    assert "your role does not allow" in body["text"]
    assert not slack.stub.called("views.open")
    click = message_click(slack, f"partner_edit_open:{valley.pk}", str(valley.pk), user="U0CORA")
    slack.interact(click)
    assert not slack.stub.called("views.open")
    refusal = slack.stub.called("/response/button")[0]["params"]["text"]
    assert "your role does not allow" in refusal
    submit(slack, valley, user="U0CORA", name="Valley Tutoring Center")
    valley.refresh_from_db()
    assert valley.name == "Valley Youth Tutoring"
    assert "your role does not allow" in json.dumps(last_view(slack.stub))


def test_a_blank_name_is_an_error_in_the_form(world, slack):
    valley = make_partner("Valley Youth Tutoring")
    body = submit(slack, valley, name="   ").json()
    assert body["response_action"] == "errors" and "needs a name" in body["errors"]["name"]


def test_edit_without_a_name_says_how(world, slack):
    body = slack.command("edit").json()
    assert "/partners edit" in body["text"]
    assert not slack.stub.called("views.open")


def test_a_merged_partner_is_not_edited(world, slack):
    from crm.services.merge import partner_merge

    keep = make_partner("Valley Youth Tutoring")
    gone = make_partner("Valley Youth Tutoring Inc")
    partner_merge(survivor=keep, loser=gone, field_choices={}, actor=world.ana, source="admin")
    slack.interact(message_click(slack, f"partner_edit_open:{gone.pk}", str(gone.pk)))
    assert not slack.stub.called("views.open")
    assert "merged" in slack.stub.called("/response/button")[0]["params"]["text"]
    submit(slack, gone, name="Valley Youth Tutors")
    assert Partner.objects.get(pk=gone.pk).name == "Valley Youth Tutoring Inc"
    assert "merged" in json.dumps(last_view(slack.stub))
