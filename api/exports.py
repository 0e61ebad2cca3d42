"""Bulk read for analytics: every table a token may see, as CSV, one table per request.

Rows are scoped by the same selectors as the admin and the API lists, so a coordinator's
export holds only her schools' events and referrals; many-to-many links are tables of their own
(id pairs), which is how BI tools join them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from crm.exports import neutralise
from crm.models import (
    CommunitySchoolGrant,
    Contact,
    District,
    EventPartner,
    Funding,
    Partner,
    Partnership,
    School,
    Touchpoint,
)
from crm.models.editable import PARTNER_SERVICE_FIELDS
from crm.selectors.coordination import events_visible_to, referrals_visible_to


@dataclass(frozen=True)
class Table:
    perm: str
    rows: Callable[[object], QuerySet]
    columns: tuple[str, ...]


def _all(model) -> Callable[[object], QuerySet]:
    return lambda user: model.objects.all()


def _links(model, field: str) -> Callable[[object], QuerySet]:
    return lambda user: getattr(model, field).through.objects.all()


PARTNER_COLUMNS = (
    "id", "name", "slug", "aliases", "kind", "status", "website", "ein", "phone", "street",
    "city", "zip", "description", "published", "public_email", "public_phone",
    "merged_into_id", "created_at", "updated_at", *PARTNER_SERVICE_FIELDS,
)  # fmt: skip

TABLES: dict[str, Table] = {
    "partners": Table("crm.view_partner", _all(Partner), PARTNER_COLUMNS),
    "partner_service_categories": Table(
        "crm.view_partner",
        lambda user: Partner.service_categories.through.objects.all(),
        ("partner_id", "servicecategory_id"),
    ),
    "partner_schools_served": Table(
        "crm.view_partner", _links(Partner, "schools_served"), ("partner_id", "school_id")
    ),
    "partner_districts_served": Table(
        "crm.view_partner", _links(Partner, "districts_served"), ("partner_id", "district_id")
    ),
    "contacts": Table(
        "crm.view_contact",
        _all(Contact),
        ("id", "partner_id", "name", "role", "email", "phone", "is_public", "created_at"),
    ),
    "partnerships": Table(
        "crm.view_partnership",
        _all(Partnership),
        (
            "id",
            "partner_id",
            "title",
            "scope",
            "start_date",
            "end_date",
            "status",
            "strategic",
            "agreement_type",
            "lead_staff_id",
            "start_fy",
            "end_fy",
            "created_at",
        ),
    ),  # fmt: skip
    "partnership_schools": Table(
        "crm.view_partnership", _links(Partnership, "schools"), ("partnership_id", "school_id")
    ),
    "partnership_districts": Table(
        "crm.view_partnership", _links(Partnership, "districts"), ("partnership_id", "district_id")
    ),
    "touchpoints": Table(
        "crm.view_touchpoint",
        _all(Touchpoint),
        (
            "id",
            "partner_id",
            "contact_id",
            "occurred_on",
            "staff_id",
            "channel",
            "summary",
            "next_step",
            "follow_up_on",
            "follow_up_done",
            "fiscal_year",
            "created_at",
        ),
    ),  # fmt: skip
    "events": Table(
        "crm.view_event",
        lambda user: events_visible_to(user),
        (
            "id",
            "school_id",
            "kind",
            "title",
            "date",
            "participants",
            "items_distributed",
            "recorded_by_id",
            "fiscal_year",
            "created_at",
        ),
    ),  # fmt: skip
    "event_partners": Table(
        "crm.view_event",
        lambda user: EventPartner.objects.filter(event__in=events_visible_to(user).values("pk")),
        ("event_id", "partner_id"),
    ),
    "referrals": Table(
        "crm.export_referral",
        lambda user: referrals_visible_to(user),
        (
            "id",
            "school_id",
            "partner_id",
            "student_ref",
            "grade",
            "need_category",
            "referred_on",
            "status",
            "status_changed_on",
            "consent_on_file",
            "follow_up_on",
            "fiscal_year",
            "created_at",
            "updated_at",
        ),
    ),  # fmt: skip
    "schools": Table(
        "crm.view_school",
        _all(School),
        (
            "id",
            "cds_code",
            "district_id",
            "name",
            "city",
            "zip",
            "school_type",
            "grades",
            "charter",
            "latitude",
            "longitude",
            "status",
        ),
    ),  # fmt: skip
    "districts": Table(
        "crm.view_district",
        _all(District),
        ("id", "cds_code", "name", "district_type", "city", "zip", "status"),
    ),
    "grants": Table(
        "crm.view_communityschoolgrant",
        _all(CommunitySchoolGrant),
        (
            "id",
            "school_id",
            "grant_type",
            "cohort",
            "amount",
            "start_date",
            "end_date",
            "status",
            "start_fy",
            "end_fy",
        ),
    ),  # fmt: skip
    "funding": Table(
        "crm.view_funding",
        _all(Funding),
        (
            "id",
            "source",
            "partner_id",
            "amount",
            "fiscal_year",
            "received_on",
            "supports",
            "school_id",
            "created_at",
        ),
    ),  # fmt: skip
}


def tables_for(user) -> list[str]:
    return [name for name, table in TABLES.items() if user.has_perm(table.perm)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> object:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return neutralise(value)


def csv_lines(queryset: QuerySet, columns: tuple[str, ...]) -> Iterator[str]:
    """The header, then one line per row, read in id-ordered chunks (constant memory)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    order = "id" if "id" in columns else "pk"
    for row in queryset.order_by(order).values_list(*columns).iterator(chunk_size=2000):
        yield writer.writerow([_cell(v) for v in row])
