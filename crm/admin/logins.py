"""Administrators see the logins locked after too many wrong passwords and unlock them
(Settings > Locked logins); the lockouts themselves are django-axes'."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.ux import TitledPageMixin
from crm.roles import is_administrator
from crm.services.staff import login_lockout_clear


class LockedLoginsView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/locked_logins.html"
    page_title = "Locked logins"
    header_icon = "lock"
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from axes.models import AccessAttempt

        context = super().get_context_data(**kwargs)
        context["attempts"] = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).order_by("-attempt_time")[:200]
        context["limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def post(self, request):
        username = request.POST.get("username", "")
        if not username:
            messages.error(request, "Say which login to unlock.")
            return redirect("crm_locked_logins")
        login_lockout_clear(username=username, actor=request.user, source="admin")
        messages.success(request, f"{username} can log in again.")
        return redirect("crm_locked_logins")


class _AdministratorsOnly(MenuItem):
    def is_shown(self, request):
        return is_administrator(request.user)


@hooks.register("register_admin_urls")
def register_locked_logins_url():
    return [path("locked-logins/", LockedLoginsView.as_view(), name="crm_locked_logins")]


@hooks.register("register_settings_menu_item")
def register_locked_logins_menu_item():
    return _AdministratorsOnly(
        "Locked logins", reverse("crm_locked_logins"), icon_name="lock", order=900
    )
