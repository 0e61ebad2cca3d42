"""Community-school reads: events and referrals scoped to who is asking, the referral queue,
follow-ups due, and the aggregate referral figures that leadership may see instead of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crm.models import (
    OPEN_REFERRAL_STATUSES,
    Event,
    NeedCategory,
    Partner,
    Referral,
    ReferralDisclosure,
    ReferralStatus,
    School,
    Touchpoint,
)
from crm.roles import SITE_COORDINATORS, has_role, is_administrator


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def schools_of(user) -> QuerySet[School]:
    """Coordinator scoping, the one rule: the schools a user works for. Every school for
    administrators, the schools on their staff profile for anyone else, none for an inactive or
    anonymous user. Events, referrals, needs, packs, pickers, imports and services narrow by it.
    """
    if not _active(user):
        return School.objects.none()
    schools = School.objects.select_related("district")
    if is_administrator(user):
        return schools
    return schools.filter(coordinators__user=user)


def _coordinated(user) -> QuerySet[School]:
    # A subquery, so scoping stays one query however many schools a coordinator holds.
    return schools_of(user).values("pk")


def events_visible_to(user) -> QuerySet[Event]:
    """Administrators: all; coordinators: their schools only; others: all with view_event."""
    events = Event.objects.select_related("school", "school__district", "recorded_by")
    if not _active(user):
        return events.none()
    if is_administrator(user):
        return events
    if has_role(user, SITE_COORDINATORS):
        return events.filter(school__in=_coordinated(user))
    if user.has_perm("crm.view_event"):
        return events
    return events.none()


def referrals_visible_to(user) -> QuerySet[Referral]:
    """Administrators: all; coordinators: their schools only; everyone else: no rows at all."""
    referrals = Referral.objects.select_related("school", "partner", "referred_by")
    if not _active(user):
        return referrals.none()
    if is_administrator(user):
        return referrals
    if has_role(user, SITE_COORDINATORS):
        return referrals.filter(school__in=_coordinated(user))
    return referrals.none()


def stale_days() -> int:
    return int(getattr(settings, "REFERRAL_STALE_DAYS", 14))


def _needs_action(today: dt.date, *, include_new: bool = False) -> Q:
    cutoff = today - dt.timedelta(days=stale_days())
    cutoff_at = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.max))
    stale = Q(status_changed_on__lte=cutoff) & Q(updated_at__lte=cutoff_at)
    due = Q(follow_up_on__isnull=False) & Q(follow_up_on__lte=today)
    wanted = stale | due
    if include_new:
        # A referral still "referred" has not been taken up yet: on My schools it needs action.
        wanted |= Q(status=ReferralStatus.REFERRED)
    return Q(status__in=OPEN_REFERRAL_STATUSES) & wanted


def referral_queue(
    user, *, today: dt.date | None = None, include_new: bool = False
) -> QuerySet[Referral]:
    """Open referrals in the user's scope not updated in REFERRAL_STALE_DAYS or whose follow-up
    is due; with include_new, also those still "referred" (My schools lists them to act on)."""
    today = today or timezone.localdate()
    return (
        referrals_visible_to(user)
        .filter(_needs_action(today, include_new=include_new))
        .order_by("status_changed_on", "id")
    )


def queue_reason(referral: Referral, *, today: dt.date) -> str:
    """Why a queued referral needs action, from fields already loaded (no query)."""
    if referral.follow_up_on and referral.follow_up_on <= today:
        return f"follow-up due {referral.follow_up_on:%Y-%m-%d}"
    days = (today - referral.status_changed_on).days
    if days >= stale_days():
        return f"no update in {days} days"
    return "new referral"


def queue_kind(referral: Referral, *, today: dt.date) -> str:
    """ "due", "stale" or "new": the card style of a queued referral (no query)."""
    if referral.follow_up_on and referral.follow_up_on <= today:
        return "due"
    return "stale" if (today - referral.status_changed_on).days >= stale_days() else "new"


def touchpoint_followups_due(user, *, today: dt.date | None = None) -> QuerySet[Touchpoint]:
    """The user's own touchpoints whose follow-up date has come and which are not done."""
    today = today or timezone.localdate()
    if not _active(user):
        return Touchpoint.objects.none()
    return (
        Touchpoint.objects.select_related("partner")
        .filter(staff=user, follow_up_done=False, follow_up_on__lte=today)
        .order_by("follow_up_on", "id")
    )


def referral_followups_due(user, *, today: dt.date | None = None) -> QuerySet[Referral]:
    today = today or timezone.localdate()
    return (
        referrals_visible_to(user)
        .filter(status__in=OPEN_REFERRAL_STATUSES, follow_up_on__lte=today)
        .order_by("follow_up_on", "id")
    )


@dataclass(frozen=True)
class FollowUps:
    touchpoints: list[Touchpoint]
    referrals_needing_action: list[Referral]
    touchpoint_count: int
    referral_count: int

    @property
    def total(self) -> int:
        return self.touchpoint_count + self.referral_count


def followups_for(user, *, today: dt.date | None = None, limit: int = 10) -> FollowUps:
    """What a user should act on: due touchpoint follow-ups and referrals needing action."""
    today = today or timezone.localdate()
    touchpoints = touchpoint_followups_due(user, today=today)
    queue = referral_queue(user, today=today)
    return FollowUps(
        touchpoints=list(touchpoints[:limit]),
        referrals_needing_action=list(queue[:limit]),
        touchpoint_count=touchpoints.count(),
        referral_count=queue.count(),
    )


@dataclass(frozen=True)
class ReferralFigures:
    total: int
    open: int
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_need: list[tuple[str, int]] = field(default_factory=list)


def referral_figures(*, fiscal_year: int | None = None, school_ids=None) -> ReferralFigures:
    """Counts by status and need, computed in the database; never a row or a student id."""
    referrals = Referral.objects.all()
    if fiscal_year:
        referrals = referrals.filter(fiscal_year=fiscal_year)
    if school_ids is not None:
        referrals = referrals.filter(school_id__in=school_ids)
    totals = referrals.aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_REFERRAL_STATUSES))
    )
    status_counts = dict(referrals.order_by().values_list("status").annotate(n=Count("id")))
    need_counts = dict(referrals.order_by().values_list("need_category").annotate(n=Count("id")))
    return ReferralFigures(
        total=totals["total"],
        open=totals["open"],
        by_status=[(str(s.label), status_counts.get(s.value, 0)) for s in ReferralStatus],
        by_need=[(str(n.label), need_counts.get(n.value, 0)) for n in NeedCategory],
    )


def disclosures_for_student(student_ref: str) -> QuerySet[ReferralDisclosure]:
    """Every logged view or export of one student's referrals, newest first."""
    return (
        ReferralDisclosure.objects.select_related("user", "referral", "referral__school")
        .filter(student_ref__iexact=student_ref.strip())
        .order_by("-at", "-id")
    )


def name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def partner_name_lookup() -> dict[str, int]:
    """Live partners by every name and alias (casefolded); a merged-away name is an alias of its
    survivor, so old names on sign-in sheets still resolve. One query.
    """
    lookup: dict[str, int] = {}
    rows = Partner.objects.live().values_list("id", "name", "aliases")
    for pk, name, aliases in rows:
        for text in [name, *(a for a in (aliases or []) if isinstance(a, str))]:
            lookup.setdefault(name_key(text), pk)
    return lookup


def events_on(user, *, day: dt.date) -> list[Event]:
    """Events on one day at the schools in the user's scope, with their partners."""
    return list(
        events_visible_to(user).filter(date=day).prefetch_related("partners").order_by("-id")
    )


def recent_events(user, *, limit: int = 10) -> list[Event]:
    return list(
        events_visible_to(user).prefetch_related("partners").order_by("-date", "-id")[:limit]
    )
