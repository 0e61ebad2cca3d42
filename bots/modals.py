"""The bot's forms as Block Kit modals: `/partners add`, `edit`, `log` and `event`."""

from __future__ import annotations

from collections.abc import Sequence

from bots import views
from crm.models import AgreementType, EventKind, PartnerKind, TouchpointChannel


def field(block_id: str, label: str, element: dict, *, optional: bool = False, hint: str = ""):
    block = {
        "type": "input",
        "block_id": block_id,
        "label": views.text(label),
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = views.text(hint)
    return block


def static_select(choices, *, initial: str | None = None, placeholder: str = "Choose") -> dict:
    element = {
        "type": "static_select",
        "placeholder": views.text(placeholder),
        "options": views.choice_options(choices),
    }
    if initial is not None:
        element["initial_option"] = next(
            o for o in element["options"] if o["value"] == str(initial)
        )
    return element


def plain_input(*, multiline: bool = False, max_length: int = 3000, initial: str = "") -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def partner_add_modal(*, categories: Sequence[tuple[int, str]], metadata: dict) -> dict:
    blocks = [
        field(
            "organization",
            "Organization",
            {
                "type": "external_select",
                "action_id": views.PARTNER_PICK,
                "min_query_length": 3,
                "placeholder": views.text("Start typing the organization's name"),
            },
            hint="Existing partners are listed first; pick “Create new” to add one.",
        ),
        field("kind", "Kind", static_select(PartnerKind.choices, initial=PartnerKind.NONPROFIT)),
    ]
    if categories:
        blocks.append(
            field(
                "services",
                "Services",
                {
                    "type": "multi_static_select",
                    "placeholder": views.text("What they offer"),
                    "options": [views.option(name, str(pk)) for pk, name in categories],
                },
                optional=True,
            )
        )
    blocks += [
        field(
            "places",
            "Schools and districts served",
            {
                "type": "multi_external_select",
                "action_id": views.PLACE_PICK,
                "min_query_length": 2,
                "placeholder": views.text("Type a school or district"),
            },
            optional=True,
            hint="Leave empty for a countywide partnership.",
        ),
        field("contact_name", "Contact name", plain_input(max_length=200), optional=True),
        field("contact_email", "Contact email", {"type": "email_text_input"}, optional=True),
        field("contact_phone", "Contact phone", plain_input(max_length=40), optional=True),
        field(
            "strategic",
            "Strategic partnership",
            {
                "type": "checkboxes",
                "options": [views.option("Counts toward the strategic-partnership goal", "yes")],
            },
            optional=True,
        ),
        field(
            "agreement",
            "Agreement type",
            static_select(AgreementType.choices, initial=AgreementType.INFORMAL),
        ),
        field("note", "Note", plain_input(multiline=True), optional=True),
    ]
    return views.modal(
        title="New partnership",
        blocks=blocks,
        callback_id=views.ADD_CALLBACK,
        submit="Save",
        metadata=metadata,
    )


def partner_edit_modal(*, values: dict, metadata: dict) -> dict:
    """A partner's identity fields, filled in; aliases one per line."""

    def line(block_id: str, label: str, max_length: int, hint: str = "") -> dict:
        element = plain_input(max_length=max_length, initial=values.get(block_id) or "")
        return field(block_id, label, element, optional=block_id != "name", hint=hint)

    aliases = "\n".join(values.get("aliases") or [])
    blocks = [
        line("name", "Name", 255),
        field(
            "aliases",
            "Other names",
            plain_input(multiline=True, initial=aliases),
            optional=True,
            hint="One per line: former names, acronyms, DBA names.",
        ),
        line("website", "Website", 255, hint="For example https://example.org"),
        line("ein", "EIN", 20),
        line("phone", "Phone", 40),
        line("street", "Street address", 255),
        line("city", "City", 100),
        line("zip", "ZIP", 10),
    ]
    return views.modal(
        title="Edit partner",
        blocks=blocks,
        callback_id=views.EDIT_CALLBACK,
        submit="Save",
        metadata=metadata,
    )


def touchpoint_modal(*, metadata: dict, summary: str = "", today: str) -> dict:
    blocks = [
        field(
            "partner",
            "Partner",
            {
                "type": "external_select",
                "action_id": views.PARTNER_PICK,
                "min_query_length": 3,
                "placeholder": views.text("Type the partner's name"),
            },
        ),
        field("occurred_on", "Date", {"type": "datepicker", "initial_date": today}),
        field(
            "channel",
            "Channel",
            static_select(
                TouchpointChannel.choices,
                initial=TouchpointChannel.SLACK if summary else TouchpointChannel.CALL,
            ),
        ),
        field("summary", "Summary", plain_input(multiline=True, initial=summary)),
        field("next_step", "Next step", plain_input(max_length=255), optional=True),
        field("follow_up_on", "Follow up on", {"type": "datepicker"}, optional=True),
    ]
    return views.modal(
        title="Log a touchpoint",
        blocks=blocks,
        callback_id=views.LOG_CALLBACK,
        submit="Log",
        metadata=metadata,
    )


def event_modal(*, schools: Sequence[tuple[int, str]], metadata: dict, today: str) -> dict:
    blocks = [
        field(
            "school",
            "School",
            static_select(
                [(str(pk), name) for pk, name in schools],
                initial=str(schools[0][0]) if len(schools) == 1 else None,
            ),
        ),
        field("kind", "Kind", static_select(EventKind.choices)),
        field("title", "Title", plain_input(max_length=255), optional=True),
        field("date", "Date", {"type": "datepicker", "initial_date": today}),
        field(
            "participants", "Participants", {"type": "number_input", "is_decimal_allowed": False}
        ),
        field(
            "items",
            "Items distributed",
            {"type": "number_input", "is_decimal_allowed": False},
            optional=True,
        ),
        field(
            "partners",
            "Partners present",
            {
                "type": "multi_external_select",
                "action_id": views.PARTNER_MULTI,
                "min_query_length": 3,
                "placeholder": views.text("Type partner names"),
            },
            optional=True,
        ),
    ]
    return views.modal(
        title="Record an event",
        blocks=blocks,
        callback_id=views.EVENT_CALLBACK,
        submit="Record",
        metadata=metadata,
    )
