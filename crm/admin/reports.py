"""The annual partnership report in the Wagtail admin: FY picker, headline, chart, downloads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.ux import TitledPageMixin
from crm.fiscal import fy_label
from crm.reports import render
from crm.reports.annual import check_fiscal_year
from crm.selectors.reports import annual_report, last_completed_fy

PERMISSION = "crm.view_report"
YEARS_OFFERED = 8
DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", render.report_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        render.report_xlsx,
    ),
    "pdf": ("application/pdf", render.report_pdf),
}


def _require_report_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _chosen_year(request) -> tuple[int, str | None]:
    """The FY asked for, or the last completed one with the reason the request was not used."""
    text = request.GET.get("fy", "").strip()
    if not text:
        return last_completed_fy(), None
    try:
        return check_fiscal_year(text), None
    except ValueError as exc:
        return last_completed_fy(), f"{exc} Showing FY {fy_label(last_completed_fy())} instead."


class AnnualReportView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/annual_report.html"
    page_title = "Annual report"
    header_icon = "doc-full"
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        _require_report_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fiscal_year, error = _chosen_year(self.request)
        report = annual_report(fiscal_year=fiscal_year)
        newest = max(last_completed_fy() + 1, fiscal_year)
        query = f"?fy={fy_label(fiscal_year)}"
        context.update(
            report=report,
            error=error,
            headline=render.report_headline(report),
            # Built from numbers and fixed labels only, never from stored text.
            chart_svg=mark_safe(render.report_chart_svg(report)),
            tables=[
                {
                    "title": t.title,
                    "header": t.header,
                    "rows": [[render.cell_text(c) for c in row] for row in t.rows],
                    "definitions": t.header == ("Definition",),
                }
                for t in render.report_tables(report)
            ],
            years=[
                (fy_label(y), y == fiscal_year) for y in range(newest, newest - YEARS_OFFERED, -1)
            ],
            downloads=[
                (fmt.upper(), reverse("crm_annual_report_download", args=[fmt]) + query)
                for fmt in DOWNLOADS
            ],
        )
        return context


class AnnualReportDownloadView(View):
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        _require_report_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, fmt: str):
        if fmt not in DOWNLOADS:
            raise Http404("Unknown format.")
        fiscal_year, error = _chosen_year(request)
        if error:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        content_type, renderer = DOWNLOADS[fmt]
        response = HttpResponse(renderer(annual_report(fiscal_year=fiscal_year)), content_type)
        filename = f"partnership-report-FY{fy_label(fiscal_year)}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/annual/", AnnualReportView.as_view(), name="crm_annual_report"),
        path(
            "reports/annual/download/<str:fmt>/",
            AnnualReportDownloadView.as_view(),
            name="crm_annual_report_download",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        "Annual report", reverse("crm_annual_report"), icon_name="doc-full", order=900
    )
