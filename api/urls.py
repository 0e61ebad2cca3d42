"""URL map of /api/v1/: one router for the resources, plus the report, export and schema."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from api.errors import not_found
from api.views import activity, exports, packs, partners, referrals, reports, schools
from api.views.docs import DocsView, SchemaView

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False


router = Router(trailing_slash="/?")
router.register("partners", partners.PartnerViewSet, basename="partner")
router.register("contacts", partners.ContactViewSet, basename="contact")
router.register("merges", partners.MergeViewSet, basename="merge")
router.register("partnerships", activity.PartnershipViewSet, basename="partnership")
router.register("touchpoints", activity.TouchpointViewSet, basename="touchpoint")
router.register("events", activity.EventViewSet, basename="event")
router.register("funding", activity.FundingViewSet, basename="funding")
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("schools", schools.SchoolViewSet, basename="school")
router.register("districts", schools.DistrictViewSet, basename="district")
router.register("grants", schools.GrantViewSet, basename="grant")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("reports/annual/", reports.AnnualReportView.as_view(), name="report-annual"),
    path("reports/packs/", packs.ProgressPackView.as_view(), name="report-packs"),
    path("export/", exports.ExportIndexView.as_view(), name="export-index"),
    path("export/<slug:table>/", exports.ExportTableView.as_view(), name="export-table"),
    *router.urls,
    re_path(r"^.*$", not_found, name="not-found"),
]
