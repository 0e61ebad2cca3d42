"""The "Partners" menu: partners, contacts, partnerships, touchpoints and funding, each viewset
with its filters. Permissions are the role grants of crm/roles.py; nothing here deletes.
The partner's create, edit and inspect pages are in partner_pages.py, the forms in partner_forms.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import django_filters
from django.db.models import Q, QuerySet
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup

from crm.admin.base import CrmIndexView, CrmViewSet, fiscal_year_choices, register_policies
from crm.admin.cells import BooleanColumn, Column, RelatedObjectsColumn
from crm.admin.partner_forms import (
    ContactForm,
    FundingForm,
    PartnerForm,
    PartnershipForm,
    TouchpointForm,
)
from crm.admin.partner_pages import (
    PartnerCreateView,
    PartnerEditView,
    PartnerInspectView,
    PartnerUseExistingView,
    QuickAddHeaderMixin,
)
from crm.admin.reminder_filters import date_range, mine_filter
from crm.admin.saved_views import ListIndexMixin
from crm.admin.search import MatcherSearchMixin
from crm.models import Contact, Funding, Partner, Partnership, Touchpoint
from crm.models.editable import PARTNER_FIELDS, PARTNERSHIP_FIELDS, fields_with
from crm.selectors.spanish import missing_spanish
from crm.selectors.staff import staff_name


def _staff(relation: str) -> Callable:
    return lambda obj: staff_name(getattr(obj, relation))


class PartnerFilterSet(WagtailFilterSet):
    # The translators' worklist: published partners whose /es/ profile shows English text.
    missing_spanish = django_filters.BooleanFilter(
        label=_("Published partners missing Spanish"), method="filter_missing_spanish"
    )

    def filter_missing_spanish(self, queryset: QuerySet, name, value):
        if value is None:
            return queryset
        missing = queryset.live().filter(published=True).filter(missing_spanish())
        return missing if value else queryset.exclude(pk__in=missing.values("pk"))

    class Meta:
        model = Partner
        fields = [
            "kind",
            "status",
            "published",
            "service_categories",
            "equity_focus_groups",
            "districts_served",
        ]


class ContactFilterSet(WagtailFilterSet):
    class Meta:
        model = Contact
        fields = ["is_public"]


class PartnershipFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.ChoiceFilter(
        label=_("In force during"), choices=fiscal_year_choices, method="in_force_during"
    )

    end_date = date_range(_("Ends"))
    mine = mine_filter("lead_staff", _("I lead it"))

    class Meta:
        model = Partnership
        fields = ["strategic", "status", "agreement_type", "scope"]

    def in_force_during(self, queryset: QuerySet, name, value):
        fy = int(value)
        return queryset.filter(Q(end_fy__isnull=True) | Q(end_fy__gte=fy), start_fy__lte=fy)


class TouchpointFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), choices=fiscal_year_choices)
    follow_up_due = django_filters.BooleanFilter(
        label=_("Follow-up due"), method="filter_follow_up_due"
    )

    follow_up_on = date_range(_("Follow up on"))
    mine = mine_filter("staff", _("Mine"))

    class Meta:
        model = Touchpoint
        fields = ["channel", "follow_up_done"]

    def filter_follow_up_due(self, queryset: QuerySet, name, value):
        due = Q(follow_up_done=False, follow_up_on__lte=dt.date.today())
        return queryset.filter(due) if value else queryset.exclude(due)


class FundingFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), choices=fiscal_year_choices)

    class Meta:
        model = Funding
        fields = []


class PartnerIndexView(QuickAddHeaderMixin, MatcherSearchMixin, ListIndexMixin, CrmIndexView):
    saved_list_key = "partners"


class PartnershipIndexView(ListIndexMixin, CrmIndexView):
    saved_list_key = "partnerships"


class TouchpointIndexView(ListIndexMixin, CrmIndexView):
    saved_list_key = "touchpoints"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Whom a touchpoint was with is a contact detail: exported only with view_contact.
        if not request.user.has_perm("crm.view_contact"):
            self.list_export = [f for f in self.list_export if f != "contact"]


class PartnerViewSet(CrmViewSet):
    import_kind = "partners"
    index_view_class = PartnerIndexView
    model = Partner
    name = "crm_partner"
    url_prefix = "crm/partners"
    icon = "group"
    form_class = PartnerForm
    add_view_class = PartnerCreateView
    edit_view_class = PartnerEditView
    inspect_view_class = PartnerInspectView
    filterset_class = PartnerFilterSet
    search_fields = ["name", "aliases", "website", "ein", "city"]
    list_display = [
        "name",
        "kind",
        "status",
        BooleanColumn("published", label=_("Published")),
        "city",
        RelatedObjectsColumn("service_categories", label=_("Services")),
        Column("merged_into", label=_("Merged into")),
    ]
    # The download holds the partner import columns (import_kind); this list turns it on.
    list_export = list(PARTNER_FIELDS)

    def get_queryset_for_listing(self):
        return Partner.objects.select_related("merged_into").prefetch_related("service_categories")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "use-existing/<int:pk>/",
                PartnerUseExistingView.as_view(),
                name="use_existing",
            ),
        ]


class ContactViewSet(CrmViewSet):
    model = Contact
    name = "crm_contact"
    url_prefix = "crm/contacts"
    icon = "user"
    form_class = ContactForm
    filterset_class = ContactFilterSet
    search_fields = ["name", "role", "email", "partner__name"]
    list_display = ["name", "partner", "role", "email", "phone", "is_public"]
    list_export = ["name", "partner", "role", "email", "phone", "is_public"]

    def get_queryset_for_listing(self):
        return Contact.objects.select_related("partner")


class PartnershipViewSet(CrmViewSet):
    import_kind = "partnerships"
    index_view_class = PartnershipIndexView
    model = Partnership
    name = "crm_partnership"
    url_prefix = "crm/partnerships"
    icon = "link"
    form_class = PartnershipForm
    filterset_class = PartnershipFilterSet
    search_fields = ["title", "partner__name", "notes"]
    list_display = [
        "__str__",
        "partner",
        "start_date",
        "end_date",
        "status",
        BooleanColumn("strategic", label=_("Strategic")),
        "agreement_type",
        Column("lead_staff", label=_("Lead staff"), accessor=_staff("lead_staff")),
    ]
    list_export = [
        *fields_with(
            tuple(f for f in PARTNERSHIP_FIELDS if f != "notes"), after="title", extra=("partner",)
        ),
        "start_fy",
    ]

    def get_queryset_for_listing(self):
        return Partnership.objects.select_related("partner", "lead_staff")


class TouchpointViewSet(CrmViewSet):
    model = Touchpoint
    index_view_class = TouchpointIndexView
    name = "crm_touchpoint"
    url_prefix = "crm/touchpoints"
    icon = "comment"
    form_class = TouchpointForm
    filterset_class = TouchpointFilterSet
    search_fields = ["summary", "next_step", "partner__name"]
    list_display = [
        "__str__",
        Column("staff", label=_("Staff"), accessor=_staff("staff")),
        "next_step",
        "follow_up_on",
        BooleanColumn("follow_up_done", label=_("Done")),
    ]
    list_export = [
        "occurred_on",
        "partner",
        "contact",
        "channel",
        "staff",
        "summary",
        "next_step",
        "follow_up_on",
        "follow_up_done",
    ]

    export_getters = {
        "staff": _staff("staff"),
        "contact": lambda t: t.contact.name if t.contact else "",
    }

    def get_queryset_for_listing(self):
        return Touchpoint.objects.select_related("partner", "staff", "contact")


class FundingViewSet(CrmViewSet):
    import_kind = "funding"
    model = Funding
    name = "crm_funding"
    url_prefix = "crm/funding"
    icon = "doc-full"
    form_class = FundingForm
    filterset_class = FundingFilterSet
    search_fields = ["source", "supports", "partner__name"]
    list_display = ["source", "amount", "fiscal_year", "partner", "school", "supports"]
    list_export = ["source", "amount", "fiscal_year", "partner", "school", "supports"]

    def get_queryset_for_listing(self):
        return Funding.objects.select_related("partner", "school")


register_policies(
    PartnerViewSet, ContactViewSet, PartnershipViewSet, TouchpointViewSet, FundingViewSet
)


class PartnersGroup(ViewSetGroup):
    menu_label = _("Partners")
    menu_icon = "group"
    menu_order = 110
    items = (PartnerViewSet, ContactViewSet, PartnershipViewSet, TouchpointViewSet, FundingViewSet)


@hooks.register("register_admin_viewset")
def register_partners_menu():
    return PartnersGroup()
