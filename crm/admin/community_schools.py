"""The "Community schools" menu: My schools, Events and Referrals (each in its own module) and the
referral figures page, which shows counts by status and need, never a row or a student id.
"""

from __future__ import annotations

from django.urls import path
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from crm.admin.events import EventViewSet
from crm.admin.my_schools import MySchoolsViewSet
from crm.admin.referral_status import TEMPLATES
from crm.admin.referrals import ReferralViewSet
from crm.admin.ux import TitledPageMixin
from crm.selectors.coordination import referral_figures


class ReferralFiguresView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "referral_figures.html"
    page_title = "Referral figures"
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fy = self.request.GET.get("fy", "")
        fiscal_year = int(fy) if fy.isdigit() else None
        context["fiscal_year"] = fiscal_year
        context["figures"] = referral_figures(fiscal_year=fiscal_year)
        return context


class ReferralFiguresViewSet(ViewSet):
    name = "referral_figures"
    url_prefix = "referral-figures"
    icon = "table"
    menu_label = "Referral figures"

    def get_urlpatterns(self):
        return [path("", ReferralFiguresView.as_view(), name="index")]


class CommunitySchoolsGroup(ViewSetGroup):
    menu_label = "Community schools"
    menu_icon = "group"
    menu_order = 210
    items = (MySchoolsViewSet, EventViewSet, ReferralViewSet, ReferralFiguresViewSet)


@hooks.register("register_admin_viewset")
def register_community_schools():
    return CommunitySchoolsGroup()
