"""The dashboard's reminders, counted in the database and scoped to who is looking: follow-ups
due (overdue, today, this week), partnerships ending soon and agreements expiring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from crm.models import OPEN_REFERRAL_STATUSES, Partnership, PartnershipStatus, Touchpoint
from crm.roles import SITE_COORDINATORS, has_role, is_administrator
from crm.selectors.agreements import agreements_expiring, agreements_visible_to
from crm.selectors.coordination import referrals_visible_to

WEEK = 7
ENDING_DAYS = 60


@dataclass(frozen=True)
class DueCounts:
    """Follow-ups by when they fall due; "week" is the seven days after today."""

    overdue: int
    today: int
    week: int

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.week


def _due_counts(rows: QuerySet, field: str, today: dt.date) -> DueCounts:
    counts = rows.aggregate(
        overdue=Count("pk", filter=Q(**{f"{field}__lt": today})),
        today=Count("pk", filter=Q(**{field: today})),
        week=Count(
            "pk",
            filter=Q(**{f"{field}__gt": today, f"{field}__lte": today + dt.timedelta(days=WEEK)}),
        ),
    )
    return DueCounts(**counts)


def touchpoint_due_counts(user, *, today: dt.date) -> DueCounts | None:
    """The user's own open touchpoint follow-ups; None without the right to see touchpoints."""
    if not getattr(user, "is_active", False) or not user.has_perm("crm.view_touchpoint"):
        return None
    rows = Touchpoint.objects.filter(staff=user, follow_up_done=False)
    return _due_counts(rows, "follow_up_on", today)


def may_see_referrals(user) -> bool:
    return is_administrator(user) or (
        has_role(user, SITE_COORDINATORS) and user.has_perm("crm.view_referral")
    )


def referral_due_counts(user, *, today: dt.date) -> DueCounts | None:
    """Open referrals' follow-ups in the user's schools; None for anyone who may not see
    referrals (leadership, partnership staff), so not even a count reaches them."""
    if not may_see_referrals(user):
        return None
    rows = referrals_visible_to(user).filter(status__in=OPEN_REFERRAL_STATUSES)
    return _due_counts(rows, "follow_up_on", today)


@dataclass(frozen=True)
class Ending:
    mine: list[Partnership]
    others: list[Partnership]
    mine_count: int
    others_count: int


def partnerships_ending(
    user, *, today: dt.date, within_days: int = ENDING_DAYS, limit: int = 5
) -> Ending | None:
    """Partnerships not yet ended whose end date falls in the window: the user's first, then
    the rest; None without the right to see partnerships."""
    if not getattr(user, "is_active", False) or not user.has_perm("crm.view_partnership"):
        return None
    rows = (
        Partnership.objects.select_related("partner", "lead_staff")
        .filter(end_date__gte=today, end_date__lte=today + dt.timedelta(days=within_days))
        .exclude(status=PartnershipStatus.ENDED)
        .order_by("end_date", "pk")
    )
    mine, others = rows.filter(lead_staff=user), rows.exclude(lead_staff=user)
    return Ending(
        mine=list(mine[:limit]),
        others=list(others[:limit]),
        mine_count=mine.count(),
        others_count=others.count(),
    )


def agreements_expiring_for(user, *, today: dt.date, limit: int = 10):
    """(rows, mine_count, total) of the agreements expiring that the user may see."""
    visible = agreements_visible_to(user).values("pk")
    rows = agreements_expiring(today=today).filter(pk__in=visible)
    counts = rows.aggregate(
        mine=Count("pk", filter=Q(partnership__lead_staff=user)), total=Count("pk")
    )
    ordered = sorted(rows[:50], key=lambda a: a.partnership.lead_staff_id != user.pk)
    return ordered[:limit], counts["mine"], counts["total"]
