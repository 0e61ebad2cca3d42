"""What each role may export: one scoped queryset per kind, with the joins its columns need."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from crm.models import (
    CommunitySchoolGrant,
    Funding,
    Partner,
    Partnership,
    School,
)
from crm.selectors.coordination import events_visible_to, referrals_visible_to
from crm.selectors.fields import contacts_visible_to

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


def export_queryset(kind: str, user) -> QuerySet:
    """The rows this user may export of this kind; PermissionDenied when none."""
    if not export_allowed(user, kind):
        raise PermissionDenied("You may not export these records.")
    if kind == "partners":
        # Contact details follow the contact permission; without it, only public contacts.
        contacts = contacts_visible_to(user).order_by("name", "id")
        return Partner.objects.live().prefetch_related(Prefetch("contacts", queryset=contacts))
    if kind == "partnerships":
        return Partnership.objects.select_related("partner").prefetch_related("schools")
    if kind == "schools":
        return School.objects.select_related("district").order_by("cds_code")
    if kind == "grants":
        return CommunitySchoolGrant.objects.select_related("school")
    if kind == "events":
        # Scoping lives in one place: the same selectors the admin lists use.
        return events_visible_to(user).prefetch_related("partners")
    if kind == "referrals":
        return referrals_visible_to(user).filter(anonymised_at__isnull=True)
    if kind == "funding":
        return Funding.objects.select_related("partner", "school")
    raise PermissionDenied("Unknown export.")
