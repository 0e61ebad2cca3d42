"""Slack mrkdwn injection: every view builder renders a hostile name as text, and our admin
links stay intact. Builders that only place text into plain_text fields are checked to never
put it into mrkdwn."""

from __future__ import annotations

import inspect
import re

import pytest

from bots import modals, views

HOSTILE = "<!channel> <http://evil.example|click here> & <@U0ADMIN> *bold* `code`"
URL = "https://pb.example.org/admin/crm/partner/edit/7/"
# What a hostile string looks like once escaped: the only form it may take in mrkdwn.
ESCAPED = (
    "&lt;!channel&gt; &lt;http://evil.example|click here&gt; &amp; &lt;@U0ADMIN&gt; *bold* `code`"
)
MATCH = {"id": 7, "name": HOSTILE, "status": HOSTILE, "url": URL, "reasons": HOSTILE}
ROW = {"id": 7, "name": HOSTILE, "status": HOSTILE, "score": 91, "reasons": HOSTILE, "url": URL}
PARTNER = {
    "name": HOSTILE,
    "aliases": [HOSTILE, HOSTILE],
    **{f: HOSTILE for f in ("website", "ein", "phone", "street", "city", "zip")},
}

# Each builder that takes user text, called with hostile text everywhere it can go.
BUILDERS = {
    "partnership_exists_view": lambda: views.partnership_exists_view(
        partner=HOSTILE, url=URL, kind=HOSTILE, since="2024-09-01", lead=HOSTILE, token="tok"
    ),
    "touchpoint_instead_logged": lambda: views.touchpoint_instead_logged(partner=HOSTILE, url=URL),
    "duplicate_prompt_view": lambda: views.duplicate_prompt_view(
        typed=HOSTILE, matches=[MATCH], token="tok"
    ),
    "find_results": lambda: views.find_results(HOSTILE, [ROW], editable=True),
    "find_reply": lambda: views.find_reply(HOSTILE, [ROW], editable=True),
    "edit_choices_reply": lambda: views.edit_choices_reply(HOSTILE, [ROW, ROW]),
    "rename_prompt_view": lambda: views.rename_prompt_view(
        typed=HOSTILE, matches=[MATCH], token="tok"
    ),
    "partner_updated": lambda: views.partner_updated(url=URL, name=HOSTILE, anyway=True),
    "unknown_command": lambda: views.unknown_command(HOSTILE),
    "searching": lambda: views.searching(HOSTILE),
    "referral_links": lambda: views.referral_links([(URL, HOSTILE)]),
    "partner_saved": lambda: views.partner_saved(created=True, url=URL, name=HOSTILE),
    "touchpoint_logged": lambda: views.touchpoint_logged(url=URL, name=HOSTILE),
    "event_recorded": lambda: views.event_recorded(url=URL, school=HOSTILE),
    "headline_blocks": lambda: views.headline_blocks(HOSTILE),
    "problem": lambda: views.problem(HOSTILE),
    # These put user text into plain_text only (Slack shows it literally there).
    "partner_edit_modal": lambda: modals.partner_edit_modal(
        values=PARTNER, metadata={"note": HOSTILE}
    ),
    "partner_add_modal": lambda: modals.partner_add_modal(
        categories=[(1, HOSTILE)], metadata={"note": HOSTILE}
    ),
    "partner_options": lambda: views.partner_options(
        [(7, HOSTILE, HOSTILE, 90.0)], typed=HOSTILE, allow_create=True
    ),
    "touchpoint_modal": lambda: modals.touchpoint_modal(
        metadata={}, summary=HOSTILE, today="2026-11-24"
    ),
    "event_modal": lambda: modals.event_modal(
        schools=[(1, HOSTILE)], metadata={}, today="2026-11-24"
    ),
}
# Building blocks that take text already made safe by the builders above.
PRIMITIVES = {
    "text",
    "mrkdwn",
    "option",
    "choice_options",
    "modal",
    "message_view",
    "ephemeral",
    "escape",
    "link",
    "field",
    "static_select",
    "plain_input",
}
WITH_LINKS = {"duplicate_prompt_view", "find_results", "find_reply", "referral_links"}
WITH_LINKS |= {"partner_saved", "touchpoint_logged", "event_recorded"}
WITH_LINKS |= {"edit_choices_reply", "rename_prompt_view", "partner_updated"}
TOKEN = re.compile(r"<([^>]*)>")


def mrkdwn_texts(value) -> list[str]:
    """Every string Slack reads as mrkdwn: mrkdwn objects, message text, and bare strings."""
    if isinstance(value, str):
        return [value]
    found = []
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" or (
            "response_type" in value and isinstance(value.get("text"), str)
        ):
            found.append(value["text"])
        for item in value.values():
            if not isinstance(item, str):
                found += mrkdwn_texts(item)
    elif isinstance(value, list):
        for item in value:
            found += mrkdwn_texts(item)
    return found


def test_every_builder_is_covered():
    public = {
        name
        for module in (views, modals)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_")
        and fn.__module__ in {"bots.views", "bots.modals", "bots.mrkdwn"}
    }
    assert public - PRIMITIVES == set(BUILDERS), "add the new builder to BUILDERS"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_escapes_hostile_text(name):
    texts = mrkdwn_texts(BUILDERS[name]())
    for text in texts:
        for token in TOKEN.findall(text):
            # The only <…> left are our own admin links, labelled with escaped text.
            address, _, label = token.partition("|")
            assert address.startswith("https://pb.example.org/admin/"), (name, token)
            assert "<" not in label
        for raw in ("<!channel>", "<@U0ADMIN>", "<http://evil.example", " & "):
            assert raw not in text, (name, raw, text)
    if name in WITH_LINKS:
        joined = "\n".join(texts)
        assert f"<{URL}|" in joined, f"{name} lost its admin link"
        assert ESCAPED in joined, f"{name} does not show the name as text"


def test_a_hostile_link_address_is_never_a_link():
    assert views.link("javascript:alert(1)", "x") == "x"
    assert views.link("https://pb.example.org/a|b", "x") == "<https://pb.example.org/a%7Cb|x>"
