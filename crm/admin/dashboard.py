"""The admin home page's "Partnerbase at a glance" panel, fed by crm.selectors.dashboard."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
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


@hooks.register("construct_homepage_panels")
def add_crm_dashboard_panel(request, panels):
    panels.insert(0, CrmDashboardPanel(request.user))
