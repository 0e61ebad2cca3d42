"""Wagtail admin: refresh the duplicate review queue in the background and watch its progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.dedup import REVIEW_PERM, SOURCE
from crm.models import DuplicateScanRun
from crm.services.dedup_runs import duplicate_refresh_request


def _allowed(request) -> None:
    if not request.user.has_perm(REVIEW_PERM):
        raise PermissionDenied


def _state(run: DuplicateScanRun) -> dict:
    return {
        "status": run.status,
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
        "finished": run.status in (DuplicateScanRun.DONE, DuplicateScanRun.FAILED),
    }


class ReviewerView(View):
    """Refuse anyone who may not review duplicates, whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        _allowed(request)
        return super().dispatch(request, *args, **kwargs)


class RefreshStartView(ReviewerView):
    """POST start=1: queue a refresh and open its progress page."""

    http_method_names = ["post"]

    def post(self, request):
        if request.POST.get("start") != "1":
            messages.error(request, "Use the “Refresh the queue” button to start a refresh.")
            return redirect("crm_dedup_queue")
        run = duplicate_refresh_request(actor=request.user, source=SOURCE)
        return redirect("crm_dedup_refresh_run", pk=run.pk)


class RefreshRunView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/dedup/refresh.html"
    page_title = "Refresh the duplicate queue"
    header_icon = "resubmit"

    def dispatch(self, request, *args, **kwargs):
        _allowed(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        run = get_object_or_404(DuplicateScanRun, pk=self.kwargs["pk"])
        return super().get_context_data(
            run=run,
            state=_state(run),
            status_url=reverse("crm_dedup_refresh_status", args=[run.pk]),
            **kwargs,
        )


class RefreshStatusView(ReviewerView):
    """The run's progress as JSON, polled by the progress page."""

    http_method_names = ["get"]

    def get(self, request, pk: int):
        return JsonResponse(_state(get_object_or_404(DuplicateScanRun, pk=pk)))


@hooks.register("register_admin_urls")
def register_refresh_urls():
    return [
        path("duplicates/refresh/", RefreshStartView.as_view(), name="crm_dedup_refresh"),
        path(
            "duplicates/refresh/<int:pk>/", RefreshRunView.as_view(), name="crm_dedup_refresh_run"
        ),
        path(
            "duplicates/refresh/<int:pk>/status/",
            RefreshStatusView.as_view(),
            name="crm_dedup_refresh_status",
        ),
    ]
