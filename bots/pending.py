"""Forms held while their author answers a prompt ("Did you mean…?", "Already a partner"):
the only writes and reads of `PendingForm`, the bot's own bookkeeping."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from bots.models import PendingForm

# A prompt left unanswered this long is treated as abandoned.
PROMPT_LIFETIME = dt.timedelta(days=1)


def pending_form_hold(*, kind: str, slack_user_id: str, data: dict) -> str:
    """Keep a submitted form for its author's answer; the token the prompt's buttons carry."""
    token = secrets.token_urlsafe(16)
    PendingForm.objects.create(token=token, kind=kind, slack_user_id=slack_user_id, data=data)
    return token


def pending_form_find(*, token: str, slack_user_id: str, kind: str | None = None) -> dict | None:
    """The data held under `token` for this person, or None once it expired or was never theirs."""
    held = PendingForm.objects.filter(
        token=token, slack_user_id=slack_user_id, created_at__gte=timezone.now() - PROMPT_LIFETIME
    )
    if kind is not None:
        held = held.filter(kind=kind)
    row = held.first()
    return None if row is None else row.data
