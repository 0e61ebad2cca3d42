"""Block Kit builders for the bot's prompts and replies (the forms are in bots.modals); no logic,
no database.

Every user-provided string that goes into mrkdwn passes through `bots.mrkdwn.escape` (or `link`)
here, so listeners hand over raw values and never compose mrkdwn themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from bots.mrkdwn import escape, link

# Callback and action ids shared by the views and the listeners that answer them.
ADD_CALLBACK = "partner_add"
LOG_CALLBACK = "touchpoint_log"
EVENT_CALLBACK = "event_record"
PARTNER_PICK = "partner_pick"
PARTNER_MULTI = "partner_multi"
PLACE_PICK = "place_pick"
USE_EXISTING = "dup_use_existing"
CREATE_ANYWAY = "dup_create_anyway"
LOG_INSTEAD = "partnership_log_instead"
LOG_SHORTCUT = "log_to_partner"
EDIT_CALLBACK = "partner_edit"
EDIT_PARTNER = "partner_edit_open"
RENAME_ANYWAY = "partner_rename_anyway"
NEW_PREFIX = "new:"
PARTNER_PREFIX = "p:"

HELP = """*Partnerbase in Slack*
• `/partners add` — log a new partnership (organization, contact, note)
• `/partners find &lt;name&gt;` — look up partner organizations
• `/partners edit &lt;name&gt;` — rename a partner or correct its website, phone, address…
• `/partners log` — log a touchpoint (call, meeting, email…) with a partner
• `/partners event` — site coordinators: record an event at one of your schools
• `/partners report [FY]` — the annual partnership report, e.g. `/partners report 2024-25`
• `/partners referrals` — coordinators: links to your schools' referrals (never shown in Slack)
• `/partners help` — this message
Message menu › *Log to partner* turns a Slack message into a touchpoint."""


def text(value: str) -> dict:
    return {"type": "plain_text", "text": value[:150] or " ", "emoji": True}


def mrkdwn(value: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": value[:3000]}}


def option(label: str, value: str) -> dict:
    return {"text": text(label[:75]), "value": value[:150]}


def choice_options(choices) -> list[dict]:
    return [option(str(label), value) for value, label in choices]


def modal(
    *, title: str, blocks: list[dict], callback_id: str = "", submit: str = "", metadata=None
) -> dict:
    view = {
        "type": "modal",
        "title": text(title[:24]),
        "close": text("Close"),
        "blocks": blocks,
    }
    if callback_id:
        view["callback_id"] = callback_id
    if submit:
        view["submit"] = text(submit)
    if metadata is not None:
        view["private_metadata"] = json.dumps(metadata)[:3000]
    return view


def message_view(title: str, body: str) -> dict:
    """A modal with only a message: progress, confirmation or refusal."""
    return modal(title=title, blocks=[mrkdwn(body)])


def duplicate_prompt_view(*, typed: str, matches: Sequence[dict], token: str) -> dict:
    """'Did you mean …?' with one "Use existing" button per match and one "Create anyway"."""
    blocks = [mrkdwn(f"*Did you mean an existing partner?* You typed *{escape(typed)}*.")]
    for match in matches:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{link(match['url'], match['name'])}* · {escape(match['status'])}\n"
                    f"_{escape(match['reasons'])}_",
                },
                "accessory": {
                    "type": "button",
                    "action_id": f"{USE_EXISTING}:{match['id']}",
                    "text": text("Use existing"),
                    "style": "primary",
                    "value": f"{token}:{match['id']}",
                },
            }
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": "dup_choice",
            "elements": [
                {
                    "type": "button",
                    "action_id": CREATE_ANYWAY,
                    "text": text(f"Create “{typed[:40]}” anyway"),
                    "style": "danger",
                    "value": token,
                }
            ],
        }
    )
    return modal(title="Possible duplicate", blocks=blocks)


def touchpoint_instead_logged(*, partner: str, url: str) -> str:
    return (
        f":white_check_mark: Logged a touchpoint with *{link(url, partner)}*; "
        "its partnership is unchanged."
    )


def partnership_exists_view(
    *, partner: str, url: str, kind: str, since: str, lead: str, token: str
) -> dict:
    """The partner already has an active partnership of this kind: offer a touchpoint instead."""
    body = (
        f"*{link(url, partner)}* already has an active {escape(kind)} "
        f"partnership (since {escape(since)}{', led by ' + escape(lead) if lead else ''}). "
        "Nothing new was created, so it is not counted twice."
    )
    blocks = [
        mrkdwn(body),
        {
            "type": "actions",
            "block_id": "exists_choice",
            "elements": [
                {
                    "type": "button",
                    "action_id": LOG_INSTEAD,
                    "text": text("Log a touchpoint instead"),
                    "style": "primary",
                    "value": token,
                }
            ],
        },
    ]
    return modal(title="Already a partner", blocks=blocks)


def partner_options(
    matches: Iterable[tuple[int, str, str, float]], *, typed: str, allow_create: bool
) -> list[dict]:
    """Typeahead options: existing partners (name · status · score) first, then "Create new"."""
    options = [
        option(f"{name} · {status} · {round(score)}%", f"{PARTNER_PREFIX}{pk}")
        for pk, name, status, score in matches
    ]
    typed = " ".join(typed.split())
    if allow_create and typed:
        options.append(option(f"Create new: {typed}", f"{NEW_PREFIX}{typed}"))
    return options


def find_results(query: str, rows: Sequence[dict], *, editable: bool = False) -> list[dict]:
    """One section per partner found; with `editable`, each has an "Edit" button."""
    query = escape(query)
    if not rows:
        return [mrkdwn(f"No partner matches “{query}”. Try fewer words, or `/partners add`.")]
    blocks = [mrkdwn(f"*Partners matching “{query}”*")]
    for row in rows:
        block = mrkdwn(
            f"*{link(row['url'], row['name'])}* · {escape(row['status'])}"
            f" · score {escape(row['score'])}"
            + (f"\n_{escape(row['reasons'])}_" if row["reasons"] else "")
        )
        if editable:
            block["accessory"] = _edit_button(row["id"])
        blocks.append(block)
    return blocks


def _edit_button(partner_id: int) -> dict:
    return {
        "type": "button",
        "action_id": f"{EDIT_PARTNER}:{partner_id}",
        "text": text("Edit"),
        "value": str(partner_id),
    }


def find_reply(query: str, rows: Sequence[dict], *, editable: bool = False) -> dict:
    return {
        "response_type": "ephemeral",
        "text": f"Partners matching {escape(query)}",
        "blocks": find_results(query, rows, editable=editable),
    }


def edit_choices_reply(query: str, rows: Sequence[dict]) -> dict:
    """`/partners edit <name>` when the name fits several partners: pick one to edit."""
    blocks = find_results(query, rows, editable=True)
    if rows:
        blocks[0] = mrkdwn(f"*Which partner do you want to edit?* You typed “{escape(query)}”.")
    return {"response_type": "ephemeral", "text": f"Edit {escape(query)}", "blocks": blocks}


def rename_prompt_view(*, typed: str, matches: Sequence[dict], token: str) -> dict:
    """A rename that would look like existing partners: who, why (signed reasons), and
    "Rename anyway"; closing the modal keeps the partner as it was."""
    blocks = [
        mrkdwn(
            f"*Did you mean an existing partner?* Saving *{escape(typed)}* would make it look "
            "like these partners. Nothing was changed yet."
        )
    ]
    for match in matches:
        blocks.append(
            mrkdwn(
                f"*{link(match['url'], match['name'])}* · {escape(match['status'])}\n"
                f"_{escape(match['reasons'])}_"
            )
        )
    blocks.append(
        mrkdwn(
            "If it is the same organization, close this and merge the two under "
            "*Duplicates* in Partnerbase instead."
        )
    )
    blocks.append(
        {
            "type": "actions",
            "block_id": "rename_choice",
            "elements": [
                {
                    "type": "button",
                    "action_id": RENAME_ANYWAY,
                    "text": text(f"Save “{typed[:40]}” anyway"),
                    "style": "danger",
                    "value": token,
                }
            ],
        }
    )
    return modal(title="Possible duplicate", blocks=blocks)


def partner_updated(*, url: str, name: str, anyway: bool) -> str:
    queued = " The possible duplicates were queued for review." if anyway else ""
    return f":white_check_mark: Saved *{link(url, name)}*.{queued}"


def unknown_command(sub: str) -> str:
    return f"I don't know `{escape(sub)}`.\n{HELP}"


def searching(query: str) -> str:
    return f"Looking for “{escape(query)}”…"


def referral_links(schools: Sequence[tuple[str, str]]) -> str:
    """Links into the admin, one per (url, school name); never a student's data."""
    lines = [f"• {link(url, f'Referrals at {name}')}" for url, name in schools]
    return "Open the referrals in Partnerbase (sign-in required):\n" + "\n".join(lines)


def partner_saved(*, created: bool, url: str, name: str) -> str:
    verb = "Created partner" if created else "Used existing partner"
    return (
        f":white_check_mark: {verb} *{link(url, name)}* and logged the "
        f"partnership and a touchpoint.\nAdmin record: {link(url, url)}"
    )


def touchpoint_logged(*, url: str, name: str) -> str:
    return f":white_check_mark: Touchpoint logged for *{link(url, name)}*."


def event_recorded(*, url: str, school: str) -> str:
    return f":white_check_mark: Event recorded at *{escape(school)}*. {link(url, 'Open it')}."


def headline_blocks(headline: str) -> list[dict]:
    return [mrkdwn(escape(headline))]


def problem(message: str) -> str:
    """A refusal or validation message (it may quote what the person typed)."""
    return escape(message)


def ephemeral(body: str) -> dict:
    return {"response_type": "ephemeral", "text": body[:3000]}
