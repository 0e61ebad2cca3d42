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
    Event,
    EventPartner,
    Funding,
    Partner,
    Partnership,
    School,
    Touchpoint,
)
from crm.models.editable import (
    DISTRICT_FIELDS,
    EVENT_FIELDS,
    FUNDING_FIELDS,
    GRANT_FIELDS,
    PARTNER_SERVICE_FIELDS,
    PARTNERSHIP_FIELDS,
    SCHOOL_FIELDS,
)
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


def _columns(model, fields: tuple[str, ...], *, leave_out=()) -> tuple[str, ...]:
    """A model's editable fields as table columns, a relation as its id column."""
    return tuple(model._meta.get_field(f).attname for f in fields if f not in leave_out)


# Tables for analytics place schools and districts by city and ZIP code only.
_NO_ADDRESS = {"street", "phone", "website"}
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
            *_columns(Partnership, PARTNERSHIP_FIELDS, leave_out={"notes"}),
            "start_fy",
            "end_fy",
            "created_at",
        ),
    ),
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
            *_columns(Event, EVENT_FIELDS, leave_out={"notes"}),
            "recorded_by_id",
            "fiscal_year",
            "created_at",
        ),
    ),
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
        ("id", "cds_code", *_columns(School, SCHOOL_FIELDS, leave_out=_NO_ADDRESS)),
    ),
    "districts": Table(
        "crm.view_district",
        _all(District),
        (
            "id",
            "cds_code",
            *_columns(District, DISTRICT_FIELDS, leave_out={*_NO_ADDRESS, "latitude", "longitude"}),
        ),
    ),
    "grants": Table(
        "crm.view_communityschoolgrant",
        _all(CommunitySchoolGrant),
        ("id", "school_id", *GRANT_FIELDS, "start_fy", "end_fy"),
    ),
    "funding": Table(
        "crm.view_funding",
        _all(Funding),
        ("id", *_columns(Funding, FUNDING_FIELDS), "created_at"),
    ),
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
