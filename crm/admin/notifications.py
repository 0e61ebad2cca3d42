"""Notifications in the admin: the sidebar item with the unread count, the page that lists them
(/admin/notifications/) with "mark read" and "mark all read", and the dashboard's unread panel."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.ux import TitledPageMixin
from crm.selectors.notifications import notification_rows, notifications_for, unread_count
from crm.services.notifications import notification_mark_read, notifications_mark_all_read


def menu_label(count: int) -> str:
    # Short enough for the sidebar's width; the page and the dashboard say "unread".
    return f"Notifications ({count})" if count else "Notifications"


class NotificationsView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/notifications.html"
    page_title = "Notifications"
    header_icon = "mail"
    http_method_names = ["get", "head", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = notification_rows(self.request.user)
        context["unread"] = sum(row.unread for row in context["rows"])
        return context

    def post(self, request):
        if "all" in request.POST:
            count = notifications_mark_all_read(actor=request.user)
            messages.success(request, f"{count} notification(s) marked read.")
        elif request.POST.get("read", "").isdigit():
            # Only the reader's own, still-visible notifications can be found here.
            notification = get_object_or_404(
                notifications_for(request.user), pk=request.POST["read"]
            )
            notification_mark_read(notification=notification, actor=request.user)
        else:
            messages.error(request, "Say which notification to mark read.")
        return redirect("crm_notifications")


class NotificationsMenuItem(MenuItem):
    """The label carries the reader's unread count (the sidebar shows labels, not badges)."""

    def render_component(self, request):
        count = unread_count(request.user)
        return LinkMenuItem(
            self.name,
            menu_label(count),
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs={**self.attrs, "data-unread": str(count)},
        )


class UnreadNotificationsPanel(Component):
    name = "notifications"
    order = 60
    template_name = "crm/admin/notifications_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        rows = [row for row in notification_rows(self.user, limit=20) if row.unread]
        return {
            "rows": rows[:5],
            "count": unread_count(self.user),
            "url": reverse("crm_notifications"),
        }


@hooks.register("construct_homepage_panels")
def add_notifications_panel(request, panels):
    if unread_count(request.user):
        panels.append(UnreadNotificationsPanel(request.user))


@hooks.register("register_admin_urls")
def register_notifications_url():
    return [path("notifications/", NotificationsView.as_view(), name="crm_notifications")]


@hooks.register("register_admin_menu_item")
def register_notifications_menu_item():
    return NotificationsMenuItem(
        "Notifications",
        reverse("crm_notifications"),
        name="notifications",
        icon_name="mail",
        order=95,
    )
