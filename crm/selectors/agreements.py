"""Reads about signed agreements: who may see them, which expire soon, which partnerships run
without a current one."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.models import AgreementType, Partner, PartnershipAgreement, RenewalStatus
from crm.roles import is_administrator

REMINDER_DAYS = (60, 30)


def agreements_visible_to(user) -> QuerySet[PartnershipAgreement]:
    """Everyone who may see partnerships sees their agreements; nobody else."""
    rows = PartnershipAgreement.objects.select_related(
        "partnership", "partnership__partner", "partnership__lead_staff"
    )
    if getattr(user, "is_active", False) and (
        is_administrator(user) or user.has_perm("crm.view_partnership")
    ):
        return rows
    return rows.none()


def current_on(day: dt.date, prefix: str = "") -> Q:
    """Signed on or before the day and not yet expired."""
    return Q(**{f"{prefix}signed_on__lte": day}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": day})
    )


def agreements_expiring(
    *, today: dt.date, within_days: int = REMINDER_DAYS[0], lead=None
) -> QuerySet[PartnershipAgreement]:
    """Agreements expiring from today to `within_days` ahead whose renewal is not settled."""
    rows = (
        PartnershipAgreement.objects.select_related(
            "partnership", "partnership__partner", "partnership__lead_staff"
        )
        .filter(
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
        .exclude(renewal_status__in=[RenewalStatus.RENEWED, RenewalStatus.NOT_RENEWING])
    )
    if lead is not None:
        rows = rows.filter(partnership__lead_staff=lead)
    return rows.order_by("expires_on", "pk")


def reminders_due(*, today: dt.date) -> list[tuple[PartnershipAgreement, int]]:
    """(agreement, threshold) pairs whose threshold has been reached and not yet reminded; only
    the nearest threshold, so an agreement uploaded 20 days before expiry gets one reminder."""
    due = []
    for agreement in agreements_expiring(today=today).prefetch_related("reminders"):
        left = (agreement.expires_on - today).days
        sent = {r.days_before for r in agreement.reminders.all()}
        reached = [d for d in REMINDER_DAYS if left <= d]
        if reached and min(reached) not in sent:
            due.append((agreement, min(reached)))
    return due


def has_current_data_sharing(partner: Partner, *, on: dt.date) -> bool:
    return PartnershipAgreement.objects.filter(
        current_on(on), partnership__partner=partner, kind=AgreementType.DATA_SHARING
    ).exists()


def without_current_agreement(*, on: dt.date) -> Exists:
    """For annotating partnerships: True when no signed agreement is current on the day."""
    return ~Exists(PartnershipAgreement.objects.filter(current_on(on), partnership=OuterRef("pk")))
