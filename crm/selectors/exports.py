"""What each role may export: one scoped queryset per kind, with the joins its columns need."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from crm.models import (
    CommunitySchoolGrant,
    Contact,
    Event,
    Funding,
    Partner,
    Partnership,
    Referral,
    School,
)
from crm.roles import (
    ADMINISTRATORS,
    LEADERSHIP,
    PARTNERSHIP_STAFF,
    coordinator_school_ids,
    has_role,
    is_administrator,
)

EXPORT_PERMS = {
    "partners": "crm.view_partner",
    "partnerships": "crm.view_partnership",
    "schools": "crm.view_school",
    "grants": "crm.view_communityschoolgrant",
    "events": "crm.view_event",
    "referrals": "crm.export_referral",
    "funding": "crm.view_funding",
}


def export_allowed(user, kind: str) -> bool:
    perm = EXPORT_PERMS.get(kind)
    return bool(perm and user.is_authenticated and user.is_active and user.has_perm(perm))


def export_kinds_for(user) -> list[str]:
    return [kind for kind in EXPORT_PERMS if export_allowed(user, kind)]


def _school_scoped(user) -> bool:
    """Coordinators see their own schools' events; staff, leadership and admins see all."""
    return not (
        is_administrator(user)
        or any(has_role(user, r) for r in (ADMINISTRATORS, PARTNERSHIP_STAFF, LEADERSHIP))
    )


def export_queryset(kind: str, user) -> QuerySet:
    """The rows this user may export of this kind; PermissionDenied when none."""
    if not export_allowed(user, kind):
        raise PermissionDenied("You may not export these records.")
    if kind == "partners":
        return Partner.objects.filter(merged_into__isnull=True).prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "id"))
        )
    if kind == "partnerships":
        return Partnership.objects.select_related("partner").prefetch_related("schools")
    if kind == "schools":
        return School.objects.select_related("district").order_by("cds_code")
    if kind == "grants":
        return CommunitySchoolGrant.objects.select_related("school")
    if kind == "events":
        events = Event.objects.select_related("school").prefetch_related("partners")
        if _school_scoped(user):
            events = events.filter(school_id__in=coordinator_school_ids(user))
        return events
    if kind == "referrals":
        referrals = Referral.objects.select_related("school", "partner").filter(
            anonymised_at__isnull=True
        )
        if not is_administrator(user):
            referrals = referrals.filter(school_id__in=coordinator_school_ids(user))
        return referrals
    if kind == "funding":
        return Funding.objects.select_related("partner", "school")
    raise PermissionDenied("Unknown export.")
