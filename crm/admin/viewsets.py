"""Wagtail admin for the CRM records: listings, filters, exports, and forms that save via services.

Menus: "Partners" (partners, contacts, partnerships, touchpoints, funding), "Schools" (districts,
schools, CCSPP grants) and "Reference" (vocabularies; staff profiles and the audit trail for
administrators). Permissions are the role grants of crm/roles.py read through Wagtail's model
permission policy; nothing here deletes, because no service deletes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, RelatedObjectsColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from crm.admin import forms as crm_forms
from crm.dedup.explain import describe
from crm.exports import neutralise
from crm.fiscal import fiscal_year_of, fy_label
from crm.models import (
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    District,
    EquityFocusGroup,
    Funding,
    Partner,
    Partnership,
    School,
    ServiceCategory,
    StaffProfile,
    Touchpoint,
)
from crm.selectors.fields import visible_columns
from crm.selectors.partner_page import partner_possible_duplicates, partner_timeline
from crm.selectors.partners import likely_duplicates, partner_matches, partner_resolve
from crm.selectors.service_details import eligibility_labels, languages_text
from crm.selectors.spanish import missing_spanish
from crm.selectors.staff import staff_name
from crm.services.exports import export_file
from crm.services.partners import DuplicatePartner, partner_duplicate_choice_record

ADMIN = "admin"
# The fields the matcher reads; carried to "Use existing" so the choice is recorded with them.
DEDUP_FIELDS = ("name", "website", "ein", "phone", "street", "zip")


class CrmPermissionPolicy(ModelPermissionPolicy):
    """The role grants, minus actions the admin never offers for this model (e.g. delete)."""

    def __init__(self, model, *, refused: tuple[str, ...] = ("delete",)):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.refused]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


# --- views -----------------------------------------------------------------------------------


def fiscal_year_choices() -> list[tuple[int, str]]:
    latest = fiscal_year_of(dt.date.today()) + 1
    return [(fy, f"FY {fy_label(fy)}") for fy in range(latest, 2015, -1)]


class NeutralisedIndexView(generic.IndexView):
    """A listing whose spreadsheet export passes every cell through crm.exports.neutralise and
    holds only the columns the person may see (crm.selectors.fields).

    A listing with an import kind (`import_kind`) downloads in that kind's import columns, so
    `?export=csv` of a filtered list can be edited and imported again."""

    import_kind: str | None = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.list_export = visible_columns(request.user, self.model, self.list_export)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not self.import_kind:
            return super().as_spreadsheet(queryset, spreadsheet_format)
        content, content_type, name = export_file(
            kind=self.import_kind, user=self.request.user, fmt=spreadsheet_format, within=queryset
        )
        response = StreamingHttpResponse(iter([content]), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise(super().get_heading(queryset, field))


class CrmIndexView(NeutralisedIndexView):
    """A neutralised listing that exports display values and names of related records."""

    export_getters: dict[str, Callable] = {}

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field in self.export_getters:
                row[field] = self.export_getters[field](item)
            elif callable(getattr(item, f"get_{field}_display", None)):
                row[field] = getattr(item, f"get_{field}_display")()
            else:
                row[field] = multigetattr(item, field)
        return row


def attach_service_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """Show what a service refused on the form, on the field it concerns when the form has it."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You do not have permission to do this."))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ServiceSaveMixin:
    """Create/edit views whose save is a service call; a refusal re-renders the form."""

    def form_valid(self, form):
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
        except (ValidationError, PermissionDenied) as exc:
            return self.service_refused(form, exc)
        response = self.save_action()
        return self.run_after_hook() or response

    def service_refused(self, form, exc):
        attach_service_errors(form, exc)
        self.produced_error_code = "validation_error"
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class CrmCreateView(ServiceSaveMixin, generic.CreateView):
    def get_initial(self):
        # Quick actions on the partner page open a form with its partner already chosen.
        initial = super().get_initial()
        partner = self.request.GET.get("partner", "")
        if partner.isdigit():
            initial["partner"] = int(partner)
        return initial

    def save_instance(self):
        return self.form.service_create(actor=self.request.user, source=ADMIN)


class CrmEditView(ServiceSaveMixin, generic.EditView):
    def save_instance(self):
        # The form has already written its values onto self.object; the service needs the
        # stored row to compare against, so it gets a fresh copy.
        fresh = self.model._default_manager.get(pk=self.object.pk)
        return self.form.service_update(instance=fresh, actor=self.request.user, source=ADMIN)


class DuplicateWarningMixin:
    """A save the matcher stopped: list the likely duplicates above the form, with reasons."""

    duplicates: list[dict] = []

    def service_refused(self, form, exc):
        if not isinstance(exc, DuplicatePartner):
            return super().service_refused(form, exc)
        found = Partner.objects.in_bulk([m.id for m in exc.matches])
        self.duplicates = [
            {
                "partner": found[m.id],
                "reasons": describe(m),
                "url": reverse("crm_partner:inspect", args=[m.id]),
                "use_url": reverse("crm_partner:use_existing", args=[m.id]),
            }
            for m in exc.matches
            if m.id in found
        ]
        self.produced_error_code = "duplicate"
        self.produced_error_message = _(
            "This looks like a partner that is already recorded. Use the existing record, "
            "or create a new one anyway."
        )
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["duplicates"] = self.duplicates
        form = context.get("form")
        context["typed"] = {f: form.data.get(f, "") for f in DEDUP_FIELDS} if form else {}
        return context


class PartnerCreateView(DuplicateWarningMixin, CrmCreateView):
    """Creating a partner stops at likely duplicates: use the existing one, or create anyway."""

    template_name = "crm/admin/partner_create.html"

    def save_instance(self):
        return self.form.service_create(
            actor=self.request.user,
            source=ADMIN,
            create_anyway=self.request.POST.get("create_anyway") == "1",
        )


class PartnerUseExistingView(PermissionCheckedMixin, View):
    """ "Use existing" on the duplicate warning: record the choice and open that partner."""

    model = Partner
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        chosen = partner_resolve(get_object_or_404(Partner, pk=pk))
        typed = {f: request.POST.get(f, "").strip() for f in DEDUP_FIELDS}
        if not typed["name"]:
            messages.error(request, _("Type the name of the partner you were adding."))
            return redirect("crm_partner:add")
        offered = likely_duplicates(partner_matches(**typed))
        partner_duplicate_choice_record(
            name=typed["name"], chosen=chosen, matches=offered, actor=request.user, source=ADMIN
        )
        messages.success(
            request, _("Using the existing partner '%(name)s'.") % {"name": chosen.name}
        )
        return redirect("crm_partner:edit", chosen.pk)


class PartnerEditView(DuplicateWarningMixin, CrmEditView):
    """A merged-away partner is read-only: its edit page sends people to the record instead.

    A new name is checked like a create: likely duplicates are shown, and "Save anyway" renames.
    """

    template_name = "crm/admin/partner_edit.html"

    def save_instance(self):
        fresh = self.model._default_manager.get(pk=self.object.pk)
        return self.form.service_update(
            instance=fresh,
            actor=self.request.user,
            source=ADMIN,
            rename_anyway=self.request.POST.get("rename_anyway") == "1",
        )

    def dispatch(self, request, *args, **kwargs):
        partner = get_object_or_404(Partner, pk=kwargs.get("pk"))
        if partner.merged_into_id and self.permission_policy.user_has_any_permission(
            request.user, ["view", "change"]
        ):
            survivor = partner_resolve(partner)
            messages.warning(
                request,
                format_html(
                    "{} was merged into {}; edit the surviving record instead.",
                    partner.name,
                    survivor.name,
                ),
                buttons=[
                    messages.button(
                        reverse("crm_partner:edit", args=[survivor.pk]), _("Open survivor")
                    )
                ],
            )
            return redirect("crm_partner:inspect", partner.pk)
        return super().dispatch(request, *args, **kwargs)


class PartnerInspectView(generic.InspectView):
    """The partner page: its fields, quick actions, one activity timeline and its possible
    duplicates (crm.selectors.partner_page)."""

    template_name = "crm/admin/partner_inspect.html"

    def get_aliases_display_value(self):
        return "; ".join(a for a in self.object.aliases or [] if isinstance(a, str)) or "—"

    def get_logo_display_value(self):
        return self.object.logo.title if self.object.logo_id else "—"

    def get_languages_display_value(self):
        return languages_text(self.object) or "—"

    def get_eligibility_display_value(self):
        return "; ".join(eligibility_labels(self.object)) or "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, pk = self.request.user, self.object.pk
        if self.object.merged_into_id:
            survivor = partner_resolve(self.object)
            context["survivor"] = survivor
            context["survivor_url"] = reverse("crm_partner:inspect", args=[survivor.pk])
        actions = [
            ("crm.add_contact", "crm_contact:add", _("Add contact"), ""),
            ("crm.add_touchpoint", "crm_touchpoint:add", _("Log touchpoint"), ""),
            ("crm.add_partnership", "crm_partnership:add", _("Start partnership"), ""),
            ("crm.add_touchpoint", "crm_touchpoint:add", _("Record follow-up"), "#id_follow_up_on"),
        ]
        context["quick_actions"] = (
            []
            if self.object.merged_into_id
            else [
                (label, f"{reverse(url)}?partner={pk}{anchor}")
                for perm, url, label, anchor in actions
                if user.has_perm(perm)
            ]
        )
        context["timeline"] = [
            (m, reverse(m.url_name, args=[m.pk]) if m.url_name else "")
            for m in partner_timeline(self.object, user=user)
        ]
        context["contacts"] = list(self.object.contacts.order_by("name"))
        found = partner_possible_duplicates(self.object)
        known = Partner.objects.in_bulk([m.id for m in found])
        context["possible_duplicates"] = [
            (known[m.id], describe(m), reverse("crm_partner:inspect", args=[m.id]))
            for m in found
            if m.id in known
        ]
        return context


# --- filters ---------------------------------------------------------------------------------


class PartnerFilterSet(WagtailFilterSet):
    # The translators' worklist: published partners whose /es/ profile shows English text.
    missing_spanish = django_filters.BooleanFilter(
        label=_("Published partners missing Spanish"), method="filter_missing_spanish"
    )

    def filter_missing_spanish(self, queryset: QuerySet, name, value):
        if value is None:
            return queryset
        missing = queryset.filter(published=True, merged_into__isnull=True).filter(
            missing_spanish()
        )
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


class DistrictFilterSet(WagtailFilterSet):
    class Meta:
        model = District
        fields = ["status"]


class SchoolFilterSet(WagtailFilterSet):
    ccspp_in = django_filters.ChoiceFilter(
        label=_("CCSPP-funded in"), choices=fiscal_year_choices, method="funded_in"
    )

    class Meta:
        model = School
        fields = ["district", "charter", "status"]

    def funded_in(self, queryset: QuerySet, name, value):
        from crm.selectors.dashboard import ccspp_grants_in

        return queryset.filter(pk__in=ccspp_grants_in(int(value)).values("school_id"))


class GrantFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.ChoiceFilter(
        label=_("Active in"), choices=fiscal_year_choices, method="active_in"
    )

    class Meta:
        model = CommunitySchoolGrant
        fields = ["grant_type", "cohort", "status"]

    def active_in(self, queryset: QuerySet, name, value):
        fy = int(value)
        return queryset.filter(start_fy__lte=fy, end_fy__gte=fy)


class AuditEntryFilterSet(WagtailFilterSet):
    class Meta:
        model = AuditEntry
        fields = ["channel", "model"]


# --- viewsets --------------------------------------------------------------------------------


def _staff(relation: str) -> Callable:
    return lambda obj: staff_name(getattr(obj, relation))


def _names(relation: str) -> Callable:
    return lambda obj: ", ".join(str(o) for o in getattr(obj, relation).all())


class CrmViewSet(ModelViewSet):
    """Shared setup: service-backed forms, neutralised exports, no copy view, no deletion."""

    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = CrmIndexView
    add_view_class = CrmCreateView
    edit_view_class = CrmEditView
    list_per_page = 50
    form_class: type[crm_forms.ServiceForm]
    export_getters: dict[str, Callable] = {}
    # The import kind whose columns the list downloads in (see NeutralisedIndexView).
    import_kind: str | None = None

    def get_queryset_for_listing(self) -> QuerySet:
        return self.model._default_manager.all()

    def get_form_class(self, for_update=False):
        return self.form_class.for_mode(for_update=for_update)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=self.get_queryset_for_listing(),
            export_getters=self.export_getters,
            import_kind=self.import_kind,
            **kwargs,
        )

    @cached_property
    def export_filename(self):
        return f"{self.model._meta.verbose_name_plural}-{dt.date.today():%Y-%m-%d}".replace(
            " ", "-"
        )


class PartnerViewSet(CrmViewSet):
    import_kind = "partners"
    model = Partner
    name = "crm_partner"
    url_prefix = "crm/partners"
    icon = "group"
    form_class = crm_forms.PartnerForm
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
    list_export = [
        "name",
        "aliases",
        "kind",
        "status",
        "website",
        "ein",
        "phone",
        "street",
        "city",
        "zip",
        "service_categories",
        "equity_focus_groups",
        "districts_served",
        "published",
        "public_email",
        "public_phone",
        "description",
    ]
    export_getters = {
        "aliases": lambda p: "; ".join(p.aliases or []),
        "service_categories": _names("service_categories"),
        "equity_focus_groups": _names("equity_focus_groups"),
        "districts_served": _names("districts_served"),
    }

    def get_queryset_for_listing(self):
        return Partner.objects.select_related("merged_into").prefetch_related(
            "service_categories", "equity_focus_groups", "districts_served"
        )

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
    form_class = crm_forms.ContactForm
    filterset_class = ContactFilterSet
    search_fields = ["name", "role", "email", "partner__name"]
    list_display = ["name", "partner", "role", "email", "phone", "is_public"]
    list_export = ["name", "partner", "role", "email", "phone", "is_public"]

    def get_queryset_for_listing(self):
        return Contact.objects.select_related("partner")


class PartnershipViewSet(CrmViewSet):
    import_kind = "partnerships"
    model = Partnership
    name = "crm_partnership"
    url_prefix = "crm/partnerships"
    icon = "link"
    form_class = crm_forms.PartnershipForm
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
        "title",
        "partner",
        "scope",
        "start_date",
        "end_date",
        "status",
        "strategic",
        "agreement_type",
        "lead_staff",
        "start_fy",
    ]

    def get_queryset_for_listing(self):
        return Partnership.objects.select_related("partner", "lead_staff")


class TouchpointViewSet(CrmViewSet):
    model = Touchpoint
    name = "crm_touchpoint"
    url_prefix = "crm/touchpoints"
    icon = "comment"
    form_class = crm_forms.TouchpointForm
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
        "channel",
        "staff",
        "summary",
        "next_step",
        "follow_up_on",
        "follow_up_done",
    ]

    export_getters = {"staff": _staff("staff")}

    def get_queryset_for_listing(self):
        return Touchpoint.objects.select_related("partner", "staff")


class FundingViewSet(CrmViewSet):
    import_kind = "funding"
    model = Funding
    name = "crm_funding"
    url_prefix = "crm/funding"
    icon = "doc-full"
    form_class = crm_forms.FundingForm
    filterset_class = FundingFilterSet
    search_fields = ["source", "supports", "partner__name"]
    list_display = ["source", "amount", "fiscal_year", "partner", "school", "supports"]
    list_export = ["source", "amount", "fiscal_year", "partner", "school", "supports"]

    def get_queryset_for_listing(self):
        return Funding.objects.select_related("partner", "school")


class DistrictViewSet(CrmViewSet):
    model = District
    name = "crm_district"
    url_prefix = "crm/districts"
    icon = "site"
    form_class = crm_forms.DistrictForm
    filterset_class = DistrictFilterSet
    search_fields = ["name", "cds_code", "city"]
    list_display = ["name", "cds_code", "district_type", "city", "status"]
    list_export = ["name", "cds_code", "district_type", "street", "city", "zip", "phone"]


class SchoolViewSet(CrmViewSet):
    import_kind = "schools"
    model = School
    name = "crm_school"
    url_prefix = "crm/schools"
    icon = "home"
    form_class = crm_forms.SchoolForm
    filterset_class = SchoolFilterSet
    search_fields = ["name", "cds_code", "city"]
    list_display = ["name", "district", "cds_code", "grades", "city", "status"]
    list_export = ["name", "district", "cds_code", "school_type", "grades", "street", "city", "zip"]

    def get_queryset_for_listing(self):
        return School.objects.select_related("district")


class GrantViewSet(CrmViewSet):
    import_kind = "grants"
    model = CommunitySchoolGrant
    name = "crm_grant"
    url_prefix = "crm/grants"
    icon = "pick"
    form_class = crm_forms.GrantForm
    filterset_class = GrantFilterSet
    search_fields = ["school__name", "school__cds_code"]
    list_display = ["school", "grant_type", "cohort", "amount", "start_date", "end_date", "status"]
    list_export = ["school", "grant_type", "cohort", "amount", "start_date", "end_date", "status"]

    def get_queryset_for_listing(self):
        return CommunitySchoolGrant.objects.select_related("school")


class ServiceCategoryViewSet(CrmViewSet):
    model = ServiceCategory
    name = "crm_servicecategory"
    url_prefix = "crm/service-categories"
    icon = "tag"
    form_class = crm_forms.ServiceCategoryForm
    search_fields = ["name", "name_es", "slug"]
    list_display = ["name", "name_es", "slug"]


class EquityFocusGroupViewSet(CrmViewSet):
    model = EquityFocusGroup
    name = "crm_equityfocusgroup"
    url_prefix = "crm/equity-focus-groups"
    icon = "tag"
    form_class = crm_forms.EquityFocusGroupForm
    search_fields = ["name", "name_es", "slug"]
    list_display = ["name", "name_es", "slug"]


class StaffProfileViewSet(CrmViewSet):
    model = StaffProfile
    name = "crm_staffprofile"
    url_prefix = "crm/staff"
    icon = "user"
    form_class = crm_forms.StaffProfileForm
    search_fields = ["user__username", "user__last_name", "slack_user_id"]
    list_display = [
        "__str__",
        "slack_user_id",
        RelatedObjectsColumn("schools", label=_("Assigned schools")),
        BooleanColumn("wants_digest", label=_("Digest")),
    ]

    def get_queryset_for_listing(self):
        return StaffProfile.objects.select_related("user").prefetch_related("schools")


class AuditEntryViewSet(CrmViewSet):
    """The audit trail, read-only: services write it, nobody edits it."""

    model = AuditEntry
    name = "crm_auditentry"
    url_prefix = "crm/audit"
    icon = "history"
    filterset_class = AuditEntryFilterSet
    search_fields = ["object_repr", "action", "object_id"]
    list_display = ["__str__", "actor", "channel", "action", "model", "object_id"]
    list_export = ["at", "actor", "channel", "action", "model", "object_id", "object_repr"]
    inspect_view_fields = ["at", "actor", "channel", "action", "model", "object_id", "changes"]

    def get_queryset_for_listing(self):
        return AuditEntry.objects.select_related("actor")

    def get_form_class(self, for_update=False):
        # Add and edit are refused by the policy; the form only satisfies the viewset's wiring.
        return crm_forms.AuditEntryForm


_REGISTRY = (
    (PartnerViewSet, ("delete",)),
    (ContactViewSet, ("delete",)),
    (PartnershipViewSet, ("delete",)),
    (TouchpointViewSet, ("delete",)),
    (FundingViewSet, ("delete",)),
    (DistrictViewSet, ("delete",)),
    (SchoolViewSet, ("delete",)),
    (GrantViewSet, ("delete",)),
    (ServiceCategoryViewSet, ("delete",)),
    (EquityFocusGroupViewSet, ("delete",)),
    (StaffProfileViewSet, ("delete",)),
    (AuditEntryViewSet, ("add", "change", "delete")),
)
for _viewset, _refused in _REGISTRY:
    register_permission_policy(
        _viewset.model, CrmPermissionPolicy(_viewset.model, refused=_refused)
    )


class PartnersGroup(ViewSetGroup):
    menu_label = _("Partners")
    menu_icon = "group"
    menu_order = 110
    items = (PartnerViewSet, ContactViewSet, PartnershipViewSet, TouchpointViewSet, FundingViewSet)


class SchoolsGroup(ViewSetGroup):
    menu_label = _("Schools")
    menu_icon = "home"
    menu_order = 120
    items = (DistrictViewSet, SchoolViewSet, GrantViewSet)


class ReferenceGroup(ViewSetGroup):
    menu_label = _("Reference")
    menu_icon = "list-ul"
    menu_order = 900
    items = (
        ServiceCategoryViewSet,
        EquityFocusGroupViewSet,
        StaffProfileViewSet,
        AuditEntryViewSet,
    )


@hooks.register("register_admin_viewset")
def register_crm_viewsets():
    return [PartnersGroup(), SchoolsGroup(), ReferenceGroup()]
