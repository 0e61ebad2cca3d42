"""A person's notifications as they may see them now: one that points at a referral or an
agreement they can no longer see is left out (and its text is built at read time)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet
from django.urls import reverse

from crm.models import (
    Notification,
    NotificationVerb,
    Partnership,
    PartnershipAgreement,
    Referral,
    ReferralStatus,
    Touchpoint,
)
from crm.selectors.agreements import agreements_visible_to
from crm.selectors.coordination import referrals_visible_to
from crm.selectors.staff import staff_name


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications whose target they may still see, newest first."""
    if not getattr(user, "is_active", False):
        return Notification.objects.none()
    types = ContentType.objects.get_for_models(Referral, PartnershipAgreement)
    referral_type, agreement_type = types[Referral], types[PartnershipAgreement]
    return Notification.objects.filter(recipient=user).filter(
        (~Q(target_type=referral_type) | Q(target_id__in=referrals_visible_to(user).values("pk")))
        & (
            ~Q(target_type=agreement_type)
            | Q(target_id__in=agreements_visible_to(user).values("pk"))
        )
    )


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    text: str
    url: str

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def _by(n: Notification) -> str:
    return staff_name(n.actor) if n.actor_id else "Partnerbase"


def _describe(n: Notification) -> tuple[str, str]:
    """Plain text (escaped where shown) and a link; only ids and labels, never a note."""
    target = n.target
    if target is None:
        return f"{n.get_verb_display()}: the record is no longer there.", ""
    if isinstance(target, Partnership):
        return (
            f"{_by(n)} made you lead staff of the partnership {target}.",
            reverse("crm_partnership:inspect", args=[target.pk]),
        )
    if isinstance(target, Touchpoint):
        due = n.detail.get("due", "")
        return (
            f"{_by(n)} assigned you the follow-up with {target.partner.name}, due {due}.",
            reverse("crm_touchpoint:edit", args=[target.pk]),
        )
    if isinstance(target, Referral):
        url = reverse("referral:inspect", args=[target.pk])
        if n.verb == NotificationVerb.REFERRAL_PARTNER_UPDATE:
            status = ReferralStatus(n.detail.get("status", target.status)).label.lower()
            return f"{target.partner.name} reported {target} as {status}.", url
        return f"{_by(n)} recorded {target} at {target.school.name}.", url
    if isinstance(target, PartnershipAgreement):
        days = n.detail.get("days_before", "")
        return (
            f"The {target.get_kind_display()} with {target.partnership.partner.name} expires on "
            f"{target.expires_on:%Y-%m-%d} (within {days} days).",
            reverse("crm_agreement:inspect", args=[target.pk]),
        )
    return n.get_verb_display(), ""


def notification_rows(user, *, limit: int = 100) -> list[NotificationRow]:
    rows = list(
        notifications_for(user)
        .select_related("actor", "target_type")
        .prefetch_related(
            GenericPrefetch(
                "target",
                [
                    Partnership.objects.select_related("partner"),
                    Touchpoint.objects.select_related("partner"),
                    Referral.objects.select_related("partner", "school"),
                    PartnershipAgreement.objects.select_related("partnership__partner"),
                ],
            )
        )[:limit]
    )
    return [NotificationRow(n, *_describe(n)) for n in rows]
