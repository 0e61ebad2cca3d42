"""In-app notifications: written by the service whose change they announce (never for the
person who made it), and marked read by their recipient only.

Not audited: a notification is a side effect of an audited change, and reading one changes
nothing but the reader's own inbox.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from crm.models import Notification, NotificationVerb, Referral
from crm.roles import SITE_COORDINATORS


def notifications_create(
    *,
    recipients: Iterable,
    verb: NotificationVerb | str,
    target: models.Model,
    actor,
    detail: dict | None = None,
) -> list[Notification]:
    """One unread notification per active recipient other than the actor."""
    actor_id = getattr(actor, "pk", None)
    seen: set[int] = set()
    rows = []
    content_type = ContentType.objects.get_for_model(target)
    for user in recipients:
        if user is None or not user.is_active or user.pk == actor_id or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                verb=NotificationVerb(verb),
                target_type=content_type,
                target_id=target.pk,
                actor=actor if actor_id else None,
                detail=detail or {},
            )
        )
    return Notification.objects.bulk_create(rows)


def school_coordinators(school_id: int):
    """Active site coordinators assigned to the school: whom its referrals concern."""
    return get_user_model().objects.filter(
        is_active=True, staff_profile__schools=school_id, groups__name=SITE_COORDINATORS
    )


def referral_notify(
    *, referral: Referral, verb: NotificationVerb | str, actor, detail: dict | None = None
) -> list[Notification]:
    """Tell the referral's school coordinators; the target alone carries the referral."""
    return notifications_create(
        recipients=school_coordinators(referral.school_id),
        verb=verb,
        target=referral,
        actor=actor,
        detail=detail,
    )


def _require_recipient(notification: Notification, actor) -> None:
    if not getattr(actor, "is_active", False) or notification.recipient_id != actor.pk:
        raise PermissionDenied("This notification is someone else's.")


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor) -> Notification:
    _require_recipient(notification, actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    if not getattr(actor, "is_active", False):
        raise PermissionDenied("Log in to read your notifications.")
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
