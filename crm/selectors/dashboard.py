"""The admin dashboard's key counts, each one aggregate query, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from crm.fiscal import fiscal_year_of, fy_label
from crm.models import (
    OPEN_REFERRAL_STATUSES,
    CommunitySchoolGrant,
    Event,
    GrantStatus,
    Partner,
    Partnership,
    PartnershipStatus,
    PartnerStatus,
    Referral,
    Touchpoint,
)
from crm.roles import SITE_COORDINATORS, has_role, is_administrator
from crm.selectors.coordination import schools_of


@dataclass(frozen=True)
class DashboardCounts:
    fiscal_year: int
    live_partners: int | None
    published_partners: int | None
    strategic_partnerships: int | None
    ccspp_schools: int | None
    events: int | None
    participants: int | None
    follow_ups_due: int | None
    # None when the user may not see referrals at all (leadership, partnership staff).
    open_referrals: int | None

    @property
    def fy(self) -> str:
        return fy_label(self.fiscal_year)


def active_partnerships_on(day: dt.date):
    """Partnerships in force on a day: marked active, started, and not yet ended."""
    return Partnership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        status=PartnershipStatus.ACTIVE,
        start_date__lte=day,
    )


def ccspp_grants_in(fiscal_year: int):
    """Grants that make their school a CCSPP-funded community school in that fiscal year."""
    return CommunitySchoolGrant.objects.filter(
        start_fy__lte=fiscal_year, end_fy__gte=fiscal_year
    ).exclude(status=GrantStatus.WITHDRAWN)


def dashboard_counts(*, user, today: dt.date) -> DashboardCounts:
    """The dashboard figures this user may see; a figure the user may not see is None."""
    fy = fiscal_year_of(today)
    can = user.has_perm
    partners = (
        Partner.objects.live().aggregate(
            live=Count("id", filter=~Q(status=PartnerStatus.INACTIVE)),
            published=Count("id", filter=Q(published=True)),
        )
        if can("crm.view_partner")
        else {"live": None, "published": None}
    )
    strategic = (
        active_partnerships_on(today).filter(strategic=True).count()
        if can("crm.view_partnership")
        else None
    )
    ccspp = (
        ccspp_grants_in(fy).aggregate(n=Count("school", distinct=True))["n"]
        if can("crm.view_communityschoolgrant")
        else None
    )
    events = (
        Event.objects.filter(fiscal_year=fy).aggregate(n=Count("id"), people=Sum("participants"))
        if can("crm.view_event")
        else {"n": None, "people": None}
    )
    follow_ups = (
        Touchpoint.objects.filter(staff=user, follow_up_done=False, follow_up_on__lte=today).count()
        if can("crm.view_touchpoint")
        else None
    )
    return DashboardCounts(
        fiscal_year=fy,
        live_partners=partners["live"],
        published_partners=partners["published"],
        strategic_partnerships=strategic,
        ccspp_schools=ccspp,
        events=events["n"],
        participants=(events["people"] or 0) if events["n"] is not None else None,
        follow_ups_due=follow_ups,
        open_referrals=open_referral_count(user),
    )


def open_referral_count(user) -> int | None:
    """Open referrals: all for administrators, their schools' for coordinators, else None."""
    open_rows = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES)
    if is_administrator(user):
        return open_rows.count()
    if has_role(user, SITE_COORDINATORS) and user.has_perm("crm.view_referral"):
        return open_rows.filter(school__in=schools_of(user).values("pk")).count()
    return None
