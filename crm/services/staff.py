"""Staff profile writes: linking a staff account to its Slack identity."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm.models import StaffProfile
from crm.roles import is_administrator
from crm.services.base import audit_entry, audit_record, check_channel


@transaction.atomic
def staff_profile_link_slack(
    *, user, slack_user_id: str, slack_team_id: str = "", actor, source: str
) -> StaffProfile:
    """Store the Slack id found for a user (by verified email) so the next lookup is direct."""
    check_channel(source)
    if not user.is_active:
        raise ValidationError("An inactive account cannot be linked to Slack.")
    taken = StaffProfile.objects.filter(slack_user_id=slack_user_id).exclude(user=user)
    if taken.exists():
        raise ValidationError("This Slack user is already linked to another staff account.")
    profile, _ = StaffProfile.objects.select_for_update().get_or_create(user=user)
    old = profile.slack_user_id
    profile.slack_user_id = slack_user_id
    profile.slack_team_id = slack_team_id or profile.slack_team_id
    profile.full_clean()
    profile.save()
    audit_record(
        actor=actor,
        source=source,
        action="staff.link_slack",
        instance=profile,
        changes={"slack_user_id": [old, slack_user_id]},
    )
    return profile


def login_lockout_clear(*, username: str, actor, source: str) -> int:
    """Unlock a login that django-axes locked after too many wrong passwords (every IP address
    it was locked from); administrators only. Returns how many lockout records were cleared."""
    from axes.utils import reset

    check_channel(source)
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied("Only administrators can unlock a login.")
    username = (username or "").strip()
    if not username:
        raise ValidationError("Say which login to unlock.")
    cleared = reset(username=username)
    audit_entry(
        actor=actor,
        source=source,
        action="login.unlock",
        model="user",
        object_id=username[:40],
        object_repr=f"Login unlocked: {username}"[:255],
        changes={"lockout_records": cleared},
    ).save()
    return cleared
