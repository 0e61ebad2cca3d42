"""The staff search box: one page (/admin/find/) that searches every record a person may see,
offered first in the sidebar's search and on the dashboard instead of Wagtail's page search."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.search import SearchArea
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.ux import TitledPageMixin
from crm.selectors.staff_search import (
    clean_query,
    in_rank_order,
    partner_search_ids,
    staff_search,
)

# The kinds a person may search (any one view permission lets them use the box).
SEARCHABLE = ("partner", "contact", "school", "district", "partnership", "event", "referral")


def can_search(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and any(user.has_perm(f"crm.view_{kind}") for kind in SEARCHABLE)
    )


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


# kind -> (heading, list URL name, inspect URL name, one result's secondary line)
KINDS = {
    "partners": (
        _("Partners"),
        "crm_partner:index",
        "crm_partner:inspect",
        lambda p: _join(p.get_kind_display(), p.get_status_display(), p.city),
    ),
    "contacts": (
        _("Contacts"),
        "crm_contact:index",
        "crm_contact:inspect",
        lambda c: _join(c.role, c.partner.name, c.email),
    ),
    "schools": (
        _("Schools"),
        "crm_school:index",
        "crm_school:inspect",
        lambda s: _join(s.district.name, s.city, s.cds_code),
    ),
    "districts": (
        _("Districts"),
        "crm_district:index",
        "crm_district:inspect",
        lambda d: _join(d.city, d.cds_code),
    ),
    "partnerships": (
        _("Partnerships"),
        "crm_partnership:index",
        "crm_partnership:inspect",
        lambda p: _join(p.partner.name, p.get_status_display(), p.start_date),
    ),
    "events": (
        _("Events"),
        "event:index",
        "event:inspect",
        lambda e: _join(e.school.name, e.get_kind_display(), e.date),
    ),
    "referrals": (
        _("Referrals"),
        "referral:index",
        "referral:inspect",
        lambda r: _join(r.school.name, r.student_ref, r.get_status_display()),
    ),
}


class StaffSearchView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/search/results.html"
    page_title = _("Search")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not can_search(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET.get("q", ""))
        found = staff_search(user=self.request.user, text=query)
        sections = []
        for kind, rows in found.found.items():
            if rows is None:
                continue
            heading, index_name, inspect_name, detail = KINDS[kind]
            sections.append(
                {
                    "kind": kind,
                    "heading": heading,
                    "rows": [
                        {
                            "title": str(row),
                            "detail": detail(row),
                            "url": reverse(inspect_name, args=[row.pk]),
                        }
                        for row in rows
                    ],
                    "more_url": f"{reverse(index_name)}?{urlencode({'q': query})}",
                    "more": len(rows) >= found.limit,
                }
            )
        context.update(query=query, sections=sections, total=found.total)
        return context


class MatcherSearchMixin:
    """For the partner listing's index view: its search box finds partners as the public
    directory does (the matcher's typo-tolerant names, "and" for "&", services), best match
    first unless a column ordering was chosen."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        ids = partner_search_ids(self.search_query, queryset)
        if self.is_explicitly_ordered:
            return queryset.filter(pk__in=ids)
        return in_rank_order(queryset, ids)


class StaffSearchArea(SearchArea):
    def is_shown(self, request):
        return can_search(request.user)


@hooks.register("register_admin_urls")
def register_staff_search_url():
    return [path("find/", StaffSearchView.as_view(), name="crm_search")]


@hooks.register("register_admin_search_area")
def register_staff_search_area():
    # Ordered before Wagtail's page search (100): the sidebar's search box sends staff here.
    return StaffSearchArea(
        _("Partners and records"),
        reverse("crm_search"),
        name="crm",
        icon_name="search",
        order=10,
    )
