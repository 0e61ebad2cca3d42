"""Links from Slack back into the admin: absolute URLs built from WAGTAILADMIN_BASE_URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def partner_admin_url(partner_id: int) -> str:
    return absolute(reverse("crm_partner:edit", args=[partner_id]))


def event_admin_url(event_id: int) -> str:
    return absolute(reverse("event:edit", args=[event_id]))


def referrals_url(school_id: int) -> str:
    """The admin's referral list filtered to one school (the admin enforces who may see it)."""
    return absolute(f"{reverse('referral:index')}?school={school_id}")
