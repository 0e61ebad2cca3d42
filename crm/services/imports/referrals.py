"""Referrals from a spreadsheet, scoped to the importer's schools; each through referral_create."""

from __future__ import annotations

from crm.imports import cells
from crm.imports.columns import REFERRAL_COLUMNS
from crm.models import ContactPreference, NeedCategory, Referral
from crm.services.imports.rows import (
    Context,
    KindSpec,
    Row,
    cell_value,
    mark_existing,
    model_errors,
    record_writer,
    row_partner_id,
    row_school,
)
from crm.services.referrals import referral_create, referral_update


def _analyse_referrals(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        school = row_school(row, ctx)
        partner_id = row_partner_id(row, ctx)
        v = {
            "student_ref": cell_value(row, ctx, "student_ref", required=True),
            "need_category": cell_value(
                row, ctx, "need_category", cells.choice, NeedCategory, required=True
            ),
            "referred_on": cell_value(row, ctx, "referred_on", cells.date, required=True),
            "grade": cells.text(row.cells.get("grade", "")),
            "consent_on_file": bool(cell_value(row, ctx, "consent_on_file", cells.boolean)),
            "consent_date": cell_value(row, ctx, "consent_date", cells.date),
            "follow_up_on": cell_value(row, ctx, "follow_up_on", cells.date),
            "notes": (row.cells.get("notes") or "").strip(),
        }
        if row.cells.get("contact_preference", "").strip():
            v["contact_preference"] = cell_value(
                row, ctx, "contact_preference", cells.choice, ContactPreference
            )
        if row.errors:
            continue
        row.values = {"school": school, "partner_id": partner_id, **v}
        row.label = f"Referral to {ctx.partners[cells.text(row.cells['partner'])][1]}"
        probe = Referral(
            school=school, partner_id=partner_id, status_changed_on=v["referred_on"], **v
        )
        model_errors(
            row, ctx, probe, exclude=("partner", "referred_by", "anonymised_at", "version")
        )
        keys[(school.pk, v["student_ref"], partner_id, v["referred_on"])] = row
    mark_existing(keys, Referral, ("school_id", "student_ref", "partner_id", "referred_on"))


SPEC = KindSpec(
    "referrals",
    "referrals",
    "crm.add_referral",
    REFERRAL_COLUMNS.required,
    REFERRAL_COLUMNS.optional,
    _analyse_referrals,
    record_writer(
        model=Referral,
        create=referral_create,
        update=referral_update,
        create_only=("school", "student_ref", "referred_on", "partner_id"),
    ),
    # Exports carry the status; it only moves through the closed loop, never by import.
    ignored=frozenset({"status"}),
)
