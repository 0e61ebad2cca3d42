"""Staff reads: who a Slack user is, and which schools they may record events for."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from crm.models import School, StaffProfile
from crm.selectors.coordination import schools_of


def staff_by_slack_id(slack_user_id: str):
    """The user whose profile carries this Slack id, with groups loaded; None if unknown."""
    profile = (
        StaffProfile.objects.select_related("user")
        .prefetch_related("user__groups")
        .filter(slack_user_id=slack_user_id)
        .first()
    )
    return profile.user if profile else None


def staff_by_email(email: str):
    """The one active user with this email (case-insensitive); None if none or ambiguous."""
    email = (email or "").strip()
    if not email:
        return None
    users = list(
        get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk")[:2]
    )
    return users[0] if len(users) == 1 else None


def schools_for_events(user, *, limit: int = 100) -> QuerySet[School]:
    """The user's schools (`schools_of`) by name, at most `limit` (Slack lists 100 options)."""
    return schools_of(user).order_by("name")[:limit]


def staff_name(user) -> str:
    """How a staff member is named on screen: full name, or the login when none is recorded."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def lead_staff_choices() -> QuerySet:
    """Who may lead a partnership: active users holding a staff role (or superusers)."""
    from django.db.models import Q

    from crm.roles import ROLES

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=ROLES))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
