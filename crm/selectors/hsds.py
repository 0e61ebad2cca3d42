"""Reads for the Open Referral (HSDS 3) feed: published partners as organizations, each of their
service categories as a service, and the schools they serve as locations. Public fields only."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet

from crm.models import District, Partner, School, ServiceCategory
from crm.models.editable import PARTNER_SERVICE_FIELDS
from crm.selectors.figures import published_partners, published_through

# Identifiers are RFC 9562 version-8 UUIDs that carry the record kind and database ids, so a
# feed id leads straight back to its row without a lookup table.
_HIGH = 0x5042_4853_0000_8000  # "PBHS", version 8
_VARIANT = 0x8000_0000_0000_0000
KINDS = {"organization": 1, "service": 2, "location": 3}
_KIND_NAMES = {v: k for k, v in KINDS.items()}
_ID_BITS = 28


def feed_id(kind: str, pk: int, sub: int = 0) -> str:
    low = _VARIANT | (KINDS[kind] << 56) | (sub << _ID_BITS) | pk
    return str(uuid.UUID(int=(_HIGH << 64) | low))


def parse_feed_id(text: str) -> tuple[str, int, int] | None:
    """(kind, pk, sub) for an id this feed issued, else None."""
    try:
        value = uuid.UUID(text).int
    except (ValueError, AttributeError, TypeError):
        return None
    if value >> 64 != _HIGH or not value & _VARIANT:
        return None
    low = value & ((1 << 64) - 1)
    kind = _KIND_NAMES.get((low >> 56) & 0x3F)
    if kind is None:
        return None
    return kind, low & ((1 << _ID_BITS) - 1), (low >> _ID_BITS) & ((1 << _ID_BITS) - 1)


ORG_FIELDS = ("id", "name", "slug", "kind", "city", "description", "website", "public_email")


def feed_partners() -> QuerySet[Partner]:
    return (
        published_partners()
        .only(*ORG_FIELDS, "public_phone")
        .prefetch_related(
            Prefetch("service_categories", queryset=ServiceCategory.objects.only("name", "slug")),
            Prefetch("districts_served", queryset=District.objects.only("name")),
            Prefetch("schools_served", queryset=School.objects.only("id")),
        )
        .order_by("name", "id")
    )


def feed_partner(pk: int) -> Partner | None:
    return feed_partners().filter(pk=pk).first()


def feed_services() -> QuerySet:
    """(partner, category) pairs of published partners, one HSDS service each."""
    through = Partner.service_categories.through
    return (
        through.objects.filter(published_through())
        .select_related("partner", "servicecategory")
        .only(
            "partner__id",
            "partner__name",
            "partner__description",
            "partner__website",
            "partner__public_email",
            *(f"partner__{name}" for name in PARTNER_SERVICE_FIELDS),
            "servicecategory__id",
            "servicecategory__name",
            "servicecategory__slug",
        )
        .order_by("partner__name", "partner_id", "servicecategory__name")
    )


def feed_locations() -> QuerySet[School]:
    """Schools where at least one published partner works (public school records)."""
    served = Partner.schools_served.through.objects.filter(published_through()).values("school_id")
    return (
        School.objects.filter(pk__in=served)
        .only("id", "name", "street", "city", "zip", "latitude", "longitude")
        .order_by("name", "id")
    )
