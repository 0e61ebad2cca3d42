"""Admin-wide assets: the stylesheet and the deferred script every CRM admin page relies on."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


class TitledPageMixin:
    """Custom admin pages name themselves in the header (Wagtail shows only "Home" otherwise)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


@hooks.register("insert_global_admin_css")
def staff_css():
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="icon" href="{}" type="image/svg+xml">',
        static("crm/admin/staff.css"),
        static("favicon.svg"),
    )


@hooks.register("insert_global_admin_js")
def staff_js():
    # Deferred: it runs after the page is parsed, so the inputs it enhances exist.
    return format_html('<script defer src="{}"></script>', static("crm/admin/staff.js"))
