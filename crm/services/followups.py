"""The daily follow-up digest: an email to each staff member who wants one and, when the Slack
bot is configured, a direct message. Both carry counts and links only, never a student id.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from crm.selectors.coordination import followups_for
from crm.selectors.notifications import unread_count
from crm.services.base import check_channel

log = logging.getLogger(__name__)


class SlackClient(Protocol):
    def chat_postMessage(self, *, channel: str, text: str, **kwargs): ...  # noqa: N802


@dataclass
class DigestResult:
    emails: int = 0
    slack_messages: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def digest_text(user, *, today: dt.date) -> str | None:
    """The digest for one user, or None when nothing is due."""
    due = followups_for(user, today=today, limit=0)
    unread = unread_count(user)
    if not due.total and not unread:
        return None
    lines = [f"Partnerbase follow-ups for {today:%A, %B} {today.day}:"]
    if due.touchpoint_count:
        lines.append(f"- {due.touchpoint_count} partner follow-up(s) due: {_absolute('/admin/')}")
    if due.referral_count:
        lines.append(
            f"- {due.referral_count} referral(s) need action: "
            f"{_absolute(reverse('my_schools:index'))}"
        )
    if unread:
        # A count and a link only: the notifications' own text stays in the admin.
        lines.append(
            f"- {unread} unread notification(s): {_absolute(reverse('crm_notifications'))}"
        )
    return "\n".join(lines)


def default_slack_client() -> SlackClient | None:
    token = getattr(settings, "SLACK_BOT_TOKEN", "")
    if not token:
        return None
    from slack_sdk import WebClient

    return WebClient(token=token)


def followup_digests_send(
    *, today: dt.date, actor, source: str, slack_client: SlackClient | None = None
) -> DigestResult:
    """Send each active staff member with wants_digest their digest; a failed send is reported,
    not fatal, so one bad address does not stop everyone else's digest.
    """
    check_channel(source)
    slack = slack_client if slack_client is not None else default_slack_client()
    result = DigestResult()
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__wants_digest=True)
        .select_related("staff_profile")
        .prefetch_related("groups")
        .order_by("id")
    )
    for user in users:
        text = digest_text(user, today=today)
        if text is None:
            result.skipped += 1
            continue
        if user.email:
            try:
                send_mail("Partnerbase: your follow-ups today", text, None, [user.email])
                result.emails += 1
            except Exception as exc:  # noqa: BLE001 - any mail failure is reported per user
                result.failures.append(f"email to {user.username}: {exc}")
        slack_id = user.staff_profile.slack_user_id
        if slack is not None and slack_id:
            try:
                slack.chat_postMessage(channel=slack_id, text=text)
                result.slack_messages += 1
            except Exception as exc:  # noqa: BLE001 - SlackApiError or network failure
                log.warning("Slack digest to %s failed: %s", user.username, exc)
                result.failures.append(f"Slack DM to {user.username}: {exc}")
    return result
