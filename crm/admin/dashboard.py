"""The admin home page's panels: "Partnerbase at a glance" (crm.selectors.dashboard) and the
reminders (crm.selectors.reminders): follow-ups due, partnerships ending, agreements expiring.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from crm.admin.my_schools import can_record
from crm.selectors.coordination import followups_for, queue_reason
from crm.selectors.dashboard import dashboard_counts
from crm.selectors.reminders import (
    ENDING_DAYS,
    WEEK,
    DueCounts,
    agreements_expiring_for,
    partnerships_ending,
    referral_due_counts,
    touchpoint_due_counts,
)


class UserPanel(Component):
    """A home page panel about the person looking at it."""

    def __init__(self, user):
        self.user = user


class CrmDashboardPanel(UserPanel):
    name = "crm_dashboard"
    order = 50
    template_name = "crm/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        counts = dashboard_counts(user=self.user, today=timezone.localdate())
        figures = [
            ("live_partners", _("Live partners")),
            ("published_partners", _("Published partners")),
            ("strategic_partnerships", _("Active strategic partnerships today")),
            ("ccspp_schools", _("CCSPP-funded schools, FY %(fy)s") % {"fy": counts.fy}),
            ("events", _("Events, FY %(fy)s") % {"fy": counts.fy}),
            ("participants", _("Event participants, FY %(fy)s") % {"fy": counts.fy}),
            ("follow_ups_due", _("Your touchpoint follow-ups due")),
            ("open_referrals", _("Open referrals")),
        ]
        return {
            "figures": [
                (key, label, getattr(counts, key))
                for key, label in figures
                if getattr(counts, key) is not None
            ]
        }


def _list_url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _buckets(counts: DueCounts, list_name: str, today: dt.date, **base) -> list[dict]:
    """One link per bucket to the list filtered to it (the filters are reminder_filters')."""
    week_end = today + dt.timedelta(days=WEEK)
    ranges = [
        ("overdue", _("overdue"), counts.overdue, {"follow_up_on_to": today - dt.timedelta(1)}),
        ("today", _("today"), counts.today, {"follow_up_on_from": today, "follow_up_on_to": today}),
        (
            "week",
            _("this week"),
            counts.week,
            {"follow_up_on_from": today + dt.timedelta(1), "follow_up_on_to": week_end},
        ),
    ]
    return [
        {"key": key, "label": label, "count": n, "url": _list_url(list_name, **base, **extra)}
        for key, label, n, extra in ranges
    ]


def _summary(*counts: DueCounts | None) -> str:
    seen = [c for c in counts if c is not None]
    overdue, today, week = (sum(getattr(c, k) for c in seen) for k in ("overdue", "today", "week"))
    return _("%(o)s overdue · %(t)s today · %(w)s this week") % {
        "o": overdue,
        "t": today,
        "w": week,
    }


class FollowUpsPanel(UserPanel):
    name = "followups"
    order = 120
    template_name = "crm/admin/coordination/followups_panel.html"

    @cached_property
    def followups(self):
        return followups_for(self.user, today=timezone.localdate(), limit=10)

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        due = self.followups
        touchpoints = touchpoint_due_counts(self.user, today=today)
        referrals = referral_due_counts(self.user, today=today)
        return {
            "due": due,
            "summary": _summary(touchpoints, referrals),
            "touchpoint_buckets": touchpoints
            and _buckets(
                touchpoints, "crm_touchpoint:index", today, mine="true", follow_up_done="false"
            ),
            "referral_buckets": referrals
            and _buckets(referrals, "referral:index", today, open="true"),
            "queue": [(r, queue_reason(r, today=today)) for r in due.referrals_needing_action],
            "my_schools_url": reverse("my_schools:index") if can_record(self.user) else "",
        }


class PartnershipsEndingPanel(UserPanel):
    name = "partnerships_ending"
    order = 125
    template_name = "crm/admin/partnerships_ending_panel.html"

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        ending = partnerships_ending(self.user, today=today)
        window = {"end_date_from": today, "end_date_to": today + dt.timedelta(days=ENDING_DAYS)}
        return {
            "ending": ending,
            "days": ENDING_DAYS,
            "mine_url": _list_url("crm_partnership:index", mine="true", **window),
            "all_url": _list_url("crm_partnership:index", **window),
        }


class ExpiringAgreementsPanel(UserPanel):
    name = "agreements_expiring"
    order = 130
    template_name = "crm/admin/agreements_panel.html"

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        rows, mine, total = agreements_expiring_for(self.user, today=today)
        horizon = today + dt.timedelta(days=60)
        window = {"expires_on_from": today, "expires_on_to": horizon}
        return {
            "rows": [
                {
                    "agreement": a,
                    "days": (a.expires_on - today).days,
                    "url": reverse("crm_agreement:inspect", args=[a.pk]),
                    "mine": a.partnership.lead_staff_id == self.user.pk,
                }
                for a in rows
            ],
            "mine_count": mine,
            "total": total,
            "mine_url": _list_url("crm_agreement:index", mine="true", **window),
            "all_url": _list_url("crm_agreement:index", **window),
            "index_url": reverse("crm_agreement:index"),
            "today": today,
            "horizon": horizon,
        }


@hooks.register("construct_homepage_panels")
def add_crm_panels(request, panels):
    # Wagtail shows panels sorted by their `order`.
    panels.insert(0, CrmDashboardPanel(request.user))
    panels.append(FollowUpsPanel(request.user))
    if request.user.has_perm("crm.view_partnership"):
        panels.append(PartnershipsEndingPanel(request.user))
    if request.user.has_perm("crm.view_partnershipagreement"):
        panels.append(ExpiringAgreementsPanel(request.user))
