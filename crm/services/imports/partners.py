"""Partners from a spreadsheet: each row checked, then one batched duplicate check against every
live partner and one of the file against itself; a row with the same EIN or name is an update."""

from __future__ import annotations

from crm.dedup.explain import describe
from crm.dedup.identifiers import digits_only, normalize_ein
from crm.dedup.index import MatchIndex
from crm.dedup.match import scan
from crm.dedup.record import Record
from crm.dedup.score import LIKELY, Pair
from crm.imports import cells
from crm.imports.columns import CONTACT_FILE_FIELDS, PARTNER_FILE_COLUMNS
from crm.models import (
    Contact,
    CostKind,
    EligibilityFlag,
    GradeLevel,
    Language,
    Partner,
    PartnerKind,
    PartnerStatus,
    ReferralCapacity,
)
from crm.selectors.matcher import current_matcher_model
from crm.selectors.partners import partner_index, partner_matches_many
from crm.services.imports.partners_write import (
    PARTNER_TEXT,
    new_partner,
    row_update_data,
    write_partners,
)
from crm.services.imports.rows import (
    DUPLICATE,
    UPDATE,
    Context,
    KindSpec,
    Row,
    cell_value,
    model_errors,
)
from crm.services.partners import partner_rename_duplicates

# The service details read as one choice or a list of them (codes or labels alike).
SERVICE_CHOICES = {
    "accepting_referrals": ReferralCapacity,
    "grades_from": GradeLevel,
    "grades_to": GradeLevel,
    "cost": CostKind,
}
SERVICE_CHOICE_LISTS = {"languages": Language, "eligibility": EligibilityFlag}


def _clean_partner(row: Row, ctx: Context) -> None:
    v = row.values
    v["name"] = cell_value(row, ctx, "name", required=True) or ""
    row.label = v["name"]
    v["aliases"] = cells.many(row.cells.get("aliases", ""))
    for col in PARTNER_TEXT:
        v[col] = cells.text(row.cells.get(col, ""))
    v["description"] = (row.cells.get("description") or "").strip()
    v["public_email"] = cells.text(row.cells.get("public_email", ""))
    raw_kind, raw_status = row.cells.get("kind", ""), row.cells.get("status", "")
    v["kind"] = cell_value(row, ctx, "kind", cells.choice, PartnerKind) if raw_kind.strip() else ""
    v["status"] = (
        cell_value(row, ctx, "status", cells.choice, PartnerStatus) if raw_status.strip() else ""
    )
    if v["status"] == PartnerStatus.MERGED:
        row.error(ctx.column("status"), "A partner cannot be imported as merged.")
    raw_published = row.cells.get("published", "")
    v["published"] = (
        cell_value(row, ctx, "published", cells.boolean) if raw_published.strip() else None
    )
    _clean_service_details(row, ctx)
    if v["ein"] and len(digits_only(v["ein"])) != 9:
        row.error(ctx.column("ein"), f"“{v['ein']}” is not a 9-digit EIN.")
    contact = {k: cells.text(row.cells.get(f"contact_{k}", "")) for k in CONTACT_FILE_FIELDS}
    if any(contact.values()) and not contact["name"]:
        row.error(ctx.column("contact_name"), "A contact needs a name.")
    v["contact"] = contact if contact["name"] else None
    if not v["name"]:
        return
    probe = new_partner(v)
    probe.slug = "import-probe"
    # The partner constraints concern merges only; checking them would cost a query per row.
    model_errors(
        row,
        ctx,
        probe,
        exclude=("slug", "logo", "created_by", "merged_into"),
        constraints=False,
    )
    if v["contact"]:
        contact_probe = Contact(partner=Partner(pk=0), **v["contact"])
        model_errors(
            row,
            ctx,
            contact_probe,
            exclude=("partner",),
            columns={k: f"contact_{k}" for k in CONTACT_FILE_FIELDS},
        )


def _clean_service_details(row: Row, ctx: Context) -> None:
    """The service details' columns; a blank cell states nothing (an update keeps the value)."""
    v = row.values
    for col, choices in SERVICE_CHOICES.items():
        raw = row.cells.get(col, "")
        v[col] = cell_value(row, ctx, col, cells.choice, choices) if raw.strip() else ""
    for col, choices in SERVICE_CHOICE_LISTS.items():
        v[col] = cell_value(row, ctx, col, cells.choice_list, choices) or []
    v["monthly_capacity"] = cell_value(row, ctx, "monthly_capacity", cells.integer)
    for col in ("hours", "hours_es"):
        v[col] = cells.text(row.cells.get(col, ""))
    for col in ("eligibility_notes", "eligibility_notes_es"):
        v[col] = (row.cells.get(col) or "").strip()


def _record(row: Row) -> Record:
    v = row.values
    return Record(
        id=f"row:{row.number}",
        name=v["name"],
        aliases=tuple(v["aliases"]),
        website=v["website"],
        ein=v["ein"],
        phone=v["phone"],
        street=v["street"],
        zip=v["zip"],
    )


def _same_key(row: Row, existing: Record | None) -> bool:
    if existing is None:
        return False
    ein = normalize_ein(row.values["ein"])
    if ein and ein == normalize_ein(existing.ein):
        return True
    # Only the very same name is an update; a merely similar one is for the person to decide.
    name = row.values["name"].casefold()
    return name in {" ".join(n.split()).casefold() for n in (existing.name, *existing.aliases)}


def _analyse_partners(rows: list[Row], ctx: Context) -> None:
    for row in rows:
        if not row.errors:
            _clean_partner(row, ctx)
    valid = [r for r in rows if not r.errors]
    if not valid:
        return
    records = [_record(r) for r in valid]
    index = partner_index()
    # One batch against every live partner, then one batch of the file against itself.
    for row, matches in zip(valid, partner_matches_many(records, limit=3), strict=True):
        likely = [m for m in matches if m.level == LIKELY]
        exact = next((m for m in likely if _same_key(row, index.get(m.id))), None)
        if exact is not None:
            row.status, row.target, row.target_name = UPDATE, int(exact.id), exact.name
        elif likely:
            row.status = DUPLICATE
        row.matches = [
            {
                "id": int(m.id),
                "name": m.name,
                "reasons": describe(m),
                "flag": [float(m.score), m.level, list(m.reasons)],
            }
            for m in likely
            if exact is None
        ]
        if exact is not None:
            _check_rename(row, exact, index.get(exact.id))
    # Duplicates inside the file: one pair scan of the file's own index; later row points back.
    by_number = {r.number: r for r in valid}
    earlier: dict[int, list[tuple[int, Pair]]] = {}
    for pair in scan(MatchIndex(records, model=current_matcher_model())):
        if pair.level != LIKELY:
            continue
        a, b = (int(str(i).split(":")[1]) for i in (pair.left_id, pair.right_id))
        earlier.setdefault(max(a, b), []).append((min(a, b), pair))
    for number, found in earlier.items():
        row = by_number[number]
        if row.status == UPDATE:
            row.matches = [{"id": row.target, "name": row.target_name, "reasons": "same name"}]
            row.target = None
        row.status = DUPLICATE
        row.matches += [
            {
                "row": n,
                "name": by_number[n].values["name"],
                "reasons": describe(pair),
                "flag": [float(pair.score), pair.level, list(pair.reasons)],
            }
            for n, pair in sorted(found, key=lambda item: -item[1].score)[:3]
        ]


def _check_rename(row: Row, exact, known: Record | None) -> None:
    """An update that brings a new name or alias (matched by EIN or name) is checked like a
    create: what the new names newly look like is for the person to confirm."""
    names = {n.casefold() for n in (exact.name, *(known.aliases if known else ()))}
    fresh = [n for n in (row.values["name"], *row.values["aliases"]) if n.casefold() not in names]
    if not fresh:
        return
    partner = Partner.objects.get(pk=int(exact.id))
    flagged = partner_rename_duplicates(partner=partner, data=row_update_data(row, partner))
    row.confirm += [
        {
            "kind": "rename",
            "typed": "; ".join(fresh),
            "id": int(m.id),
            "name": m.name,
            "reasons": describe(m),
        }
        for m in flagged
        if m.level == LIKELY
    ]


SPEC = KindSpec(
    "partners",
    "partners",
    "crm.add_partner",
    ("name",),
    tuple(c for c in PARTNER_FILE_COLUMNS if c != "name"),
    _analyse_partners,
    write_partners,
)
