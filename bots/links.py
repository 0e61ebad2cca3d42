"""Links from Slack back into the admin: absolute URLs built from WAGTAILADMIN_BASE_URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# Names the partner edit view may be registered under (snippet or admin viewset).
PARTNER_EDIT_URL_NAMES = ("crm_partner:edit", "partner:edit", "wagtailsnippets_crm_partner:edit")


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def partner_admin_url(partner_id: int) -> str:
    for name in PARTNER_EDIT_URL_NAMES:
        try:
            return absolute(reverse(name, args=[partner_id]))
        except NoReverseMatch:
            continue
    return absolute(f"/admin/crm/partner/edit/{partner_id}/")


def admin_url(model: str, pk: int) -> str:
    """Edit link for another crm record (touchpoint, event), by the same naming convention."""
    for name in (f"crm_{model}:edit", f"{model}:edit", f"wagtailsnippets_crm_{model}:edit"):
        try:
            return absolute(reverse(name, args=[pk]))
        except NoReverseMatch:
            continue
    return absolute(f"/admin/crm/{model}/edit/{pk}/")


def referrals_url(school_id: int) -> str:
    """The admin's referral list filtered to one school (the admin enforces who may see it)."""
    for name in ("crm_referral:index", "referral:index", "wagtailsnippets_crm_referral:list"):
        try:
            return absolute(f"{reverse(name)}?school={school_id}")
        except NoReverseMatch:
            continue
    return absolute(f"/admin/crm/referral/?school={school_id}")
