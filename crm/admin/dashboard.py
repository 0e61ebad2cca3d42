"""The admin home page's "Partnerbase at a glance" panel, fed by crm.selectors.dashboard."""

from __future__ import annotations

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from crm.selectors.dashboard import dashboard_counts


class CrmDashboardPanel(Component):
    name = "crm_dashboard"
    order = 50
    template_name = "crm/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        counts = dashboard_counts(user=self.user, today=timezone.localdate())
        figures = [
            ("live_partners", "Live partners"),
            ("published_partners", "Published partners"),
            ("strategic_partnerships", "Active strategic partnerships today"),
            ("ccspp_schools", f"CCSPP-funded schools, FY {counts.fy}"),
            ("events", f"Events, FY {counts.fy}"),
            ("participants", f"Event participants, FY {counts.fy}"),
            ("follow_ups_due", "Your touchpoint follow-ups due"),
            ("open_referrals", "Open referrals"),
        ]
        return {
            "figures": [
                (key, label, getattr(counts, key))
                for key, label in figures
                if getattr(counts, key) is not None
            ]
        }


@hooks.register("construct_homepage_panels")
def add_crm_dashboard_panel(request, panels):
    panels.insert(0, CrmDashboardPanel(request.user))
