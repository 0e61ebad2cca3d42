"""The admin's "Background tasks" page: each task run, queued / running / done / failed, with the
error of a failed one, so staff can see what happened to a report, a digest or a scan."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.roles import is_administrator
from ops.models import TaskRun, TaskStatus
from ops.schedule import SCHEDULE

PER_PAGE = 50


class TaskRunsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "ops/task_runs.html"
    page_title = "Background tasks"
    header_icon = "cogs"
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        # Administrators: a failed task's error may name any record.
        if not is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        runs = TaskRun.objects.all()
        if status in TaskStatus.values:
            runs = runs.filter(status=status)
        page = Paginator(runs, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            page=page,
            status=status,
            statuses=TaskStatus.choices,
            schedule=SCHEDULE,
        )
        return context


@hooks.register("register_admin_urls")
def register_task_urls():
    return [path("tasks/", TaskRunsView.as_view(), name="ops_task_runs")]


class TaskMenuItem(MenuItem):
    def is_shown(self, request):
        return is_administrator(request.user)


@hooks.register("register_settings_menu_item")
def register_task_menu_item():
    return TaskMenuItem("Background tasks", reverse("ops_task_runs"), icon_name="cogs", order=900)
