"""The admin home page's panels: "Partnerbase at a glance" (crm.selectors.dashboard), the user's
follow-ups due and the agreements expiring within 60 days.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from crm.admin.my_schools import can_record
from crm.selectors.agreements import agreements_expiring
from crm.selectors.coordination import followups_for, queue_reason
from crm.selectors.dashboard import dashboard_counts


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
        return {
            "due": due,
            "queue": [(r, queue_reason(r, today=today)) for r in due.referrals_needing_action],
            "my_schools_url": reverse("my_schools:index") if can_record(self.user) else "",
        }


class ExpiringAgreementsPanel(UserPanel):
    name = "agreements_expiring"
    order = 130
    template_name = "crm/admin/agreements_panel.html"

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        rows = list(agreements_expiring(today=today)[:10])
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
            "index_url": reverse("crm_agreement:index"),
            "today": today,
            "horizon": today + dt.timedelta(days=60),
        }


@hooks.register("construct_homepage_panels")
def add_crm_panels(request, panels):
    # Wagtail shows panels sorted by their `order`.
    panels.insert(0, CrmDashboardPanel(request.user))
    panels.append(FollowUpsPanel(request.user))
    if request.user.has_perm("crm.view_partnershipagreement"):
        panels.append(ExpiringAgreementsPanel(request.user))
