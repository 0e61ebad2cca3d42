"""Writing a partner file: new rows through partner_create_many and contact_create_many, updates
and links through partner_update, pairs created over a likely duplicate into the review queue."""

from __future__ import annotations

from collections import Counter
from typing import Any

from crm.models import Contact, Partner, PartnerKind, PartnerStatus
from crm.models.editable import PARTNER_SERVICE_FIELDS as SERVICE_FIELDS
from crm.services.imports.rows import CREATE, LINK, SKIP, UPDATE, Context, Row, row_guard
from crm.services.partners import (
    contact_create,
    partner_duplicate_choice_record,
    partner_update,
)
from crm.services.partners_bulk import contact_create_many, partner_create_many
from crm.services.queue import duplicate_candidates_add

PARTNER_TEXT = ("website", "ein", "phone", "street", "city", "zip", "public_phone")


def new_partner(v: dict[str, Any]) -> Partner:
    """The unsaved partner a checked row describes (the preview checks it, the write saves it)."""
    return Partner(
        name=v["name"],
        aliases=v["aliases"],
        kind=v["kind"] or PartnerKind.NONPROFIT,
        status=v["status"] or PartnerStatus.ACTIVE,
        description=v["description"],
        public_email=v["public_email"],
        published=bool(v["published"]),
        **{c: v[c] for c in (*PARTNER_TEXT, *SERVICE_FIELDS)},
    )


def write_partners(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    creating = [r for r in rows if decisions.get(r.number) == CREATE]
    details = []
    for row in creating:
        extra: dict[str, Any] = {"import_row": row.number}
        if row.matches:
            extra["created_anyway_over"] = row.matches
        details.append(extra)
    partners = partner_create_many(
        partners=[new_partner(r.values) for r in creating],
        actor=ctx.actor,
        source=ctx.source,
        details=details,
    )
    made = {row.number: partner.pk for row, partner in zip(creating, partners, strict=True)}
    counts["created"] += len(partners)
    for row in creating:
        # Created over a likely duplicate: the pairs go to the review queue now.
        found = []
        for m in row.matches:
            other = m["id"] if "id" in m else made.get(m["row"])
            if other is not None and m.get("flag"):
                found.append((other, *m["flag"]))
        duplicate_candidates_add(partner_id=made[row.number], found=found)
    with_contact = [r for r in creating if r.values["contact"]]
    contact_create_many(
        contacts=[Contact(partner_id=made[r.number], **r.values["contact"]) for r in with_contact],
        actor=ctx.actor,
        source=ctx.source,
        details=[{"import_row": r.number} for r in with_contact],
    )
    for row in sorted(rows, key=lambda r: r.number):
        decision = decisions.get(row.number, SKIP)
        if decision == UPDATE:
            with row_guard(row):
                made[row.number] = _partner_row_update(row, ctx, row.target)
                counts["updated"] += 1
        elif decision.startswith(LINK):
            target = decision.split(":", 1)[1]
            pk = made.get(int(target[3:])) if target.startswith("row") else int(target)
            if pk is None:
                row.error("(row)", f"It links to row {target[3:]}, which was not imported.")
                continue
            with row_guard(row):
                partner_duplicate_choice_record(
                    name=row.values["name"],
                    chosen=Partner.objects.get(pk=pk),
                    matches=[],
                    actor=ctx.actor,
                    source=ctx.source,
                )
                made[row.number] = _partner_row_update(row, ctx, pk, link=True)
                counts["linked"] += 1
    return counts


def _blank(value) -> bool:
    # A monthly capacity of 0 is stated; an empty cell or list is not.
    return value in ("", None) or value == []


def row_update_data(row: Row, partner: Partner, *, link: bool = False) -> dict[str, Any]:
    """The changes a row makes to an existing partner; its other name becomes an alias."""
    v = row.values
    data: dict[str, Any] = {}
    names = [*partner.aliases, *v["aliases"]]
    if v["name"].casefold() != partner.name.casefold():
        names.append(v["name"])
    if names != partner.aliases:
        data["aliases"] = names
    for col in (*PARTNER_TEXT, "description", "public_email", "kind", "status", *SERVICE_FIELDS):
        if not _blank(v[col]) and (not link or _blank(getattr(partner, col))):
            data[col] = v[col]
    if v["published"] is not None and not link:
        data["published"] = v["published"]
    return data


def _partner_row_update(row: Row, ctx: Context, pk: int, *, link: bool = False) -> int:
    """Update an existing partner from a row; a linked row only fills blanks and adds aliases."""
    partner = Partner.objects.get(pk=pk)
    v = row.values
    data = row_update_data(row, partner, link=link)
    if data:
        # A rename the matcher flags was shown in the preview; reaching here means confirmed.
        partner_update(
            partner=partner,
            actor=ctx.actor,
            source=ctx.source,
            data=data,
            rename_anyway=link or bool(row.confirm),
        )
    contact = v["contact"]
    if contact and not partner.contacts.filter(name__iexact=contact["name"]).exists():
        contact_create(partner=partner, actor=ctx.actor, source=ctx.source, **contact)
    return partner.pk
