"""Community schools › Referrals: closed-loop service referrals, scoped to the user's schools
(crm/admin/scoping.py); every view of a referral's detail is logged, and administrators list the
disclosures of one student id. Status changes are in referral_status.py.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import BooleanRadioSelect

from crm.admin.base import SOURCE, SaveThroughServiceMixin
from crm.admin.choosers import fit_school_field, partner_picker
from crm.admin.referral_partners import SuggestedPartnersFields
from crm.admin.referral_status import TEMPLATES, QuickStatusColumn, ReferralStatusView
from crm.admin.reminder_filters import date_range
from crm.admin.saved_views import SavedViewsIndexMixin
from crm.admin.scoping import (
    PrefilledCreateMixin,
    ScopedEditView,
    ScopedIndexView,
    ScopedInspectView,
    ScopedViewSet,
    referral_permission_policy,
    school_choices,
)
from crm.admin.ux import TitledPageMixin
from crm.models import (
    OPEN_REFERRAL_STATUSES,
    NeedCategory,
    Partner,
    PartnerStatus,
    Referral,
    ReferralDisclosure,
    ReferralStatus,
)
from crm.models.editable import REFERRAL_FIELDS
from crm.roles import is_administrator
from crm.selectors.agreements import has_current_data_sharing
from crm.selectors.coordination import disclosures_for_student, referrals_visible_to
from crm.services.disclosures import disclosure_record
from crm.services.referrals import TRANSITIONS, referral_create, referral_update


def referable_partners():
    # A student is referred only to a partner that stands on its own and is not inactive.
    return Partner.objects.live().exclude(status=PartnerStatus.INACTIVE).order_by("name")


class ReferralCreateForm(SuggestedPartnersFields, WagtailAdminModelForm):
    class Meta:
        model = Referral
        fields = [
            "school",
            "partner",
            "student_ref",
            "grade",
            "need_category",
            "family_language",
            "referred_on",
            "consent_on_file",
            "consent_date",
            "contact_preference",
            "follow_up_on",
            "notes",
        ]

    confirm_no_agreement = forms.BooleanField(
        required=False,
        label="Refer without a data-sharing agreement",
        help_text="Needed only when the partner has no current data-sharing agreement on file.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_school_field(self)
        self.fields["partner"].queryset = referable_partners()
        self.fields["partner"].widget = partner_picker(active_only=True)

    def clean(self):
        cleaned = super().clean()
        partner = cleaned.get("partner")
        day = cleaned.get("referred_on") or timezone.localdate()
        if partner and not cleaned.get("confirm_no_agreement"):
            if not has_current_data_sharing(partner, on=day):
                self.add_error(
                    "confirm_no_agreement",
                    f"{partner.name} has no current data-sharing agreement on file. Check with "
                    "the partnership lead, or tick this box to refer anyway.",
                )
        return cleaned


class ReferralEditForm(WagtailAdminModelForm):
    # The version the form was opened at: a save from a stale form is refused, not merged.
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Referral
        fields = list(REFERRAL_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = referable_partners()
        self.fields["partner"].widget = partner_picker(active_only=True)
        self.fields["version"].initial = self.instance.version


class ReferralFilterSet(WagtailFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=school_choices, label="School")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    need_category = django_filters.ChoiceFilter(choices=NeedCategory.choices, label="Need")
    fiscal_year = django_filters.NumberFilter(label="Fiscal year (ending)")
    follow_up_on = date_range("Follow up on")
    open = django_filters.BooleanFilter(
        label="Open", method="filter_open", widget=BooleanRadioSelect
    )

    class Meta:
        model = Referral
        fields = ["school", "status", "need_category", "fiscal_year"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        is_open = Q(status__in=OPEN_REFERRAL_STATUSES)
        return queryset.filter(is_open) if value else queryset.exclude(is_open)


class ReferralIndexView(SavedViewsIndexMixin, ScopedIndexView):
    # A saved view is a link to this list, which stays scoped to the person's schools.
    saved_list_key = "referrals"


class ReferralCreateView(SaveThroughServiceMixin, PrefilledCreateMixin, generic.CreateView):
    today_field = "referred_on"

    def save_instance(self):
        data = dict(self.form.cleaned_data)
        data.pop("confirm_no_agreement", None)
        data.pop("family_language", None)
        return referral_create(**data, actor=self.request.user, source=SOURCE)


class ReferralEditView(ScopedEditView):
    def get(self, request, *args, **kwargs):
        disclosure_record(
            actor=request.user,
            source=SOURCE,
            action=ReferralDisclosure.VIEW,
            referrals=[self.get_object()],
            detail="edit form",
        )
        return super().get(request, *args, **kwargs)

    def save_instance(self):
        data = self.form.cleaned_data
        return referral_update(
            referral=self.stored(),
            data={name: data[name] for name in REFERRAL_FIELDS},
            expected_version=data["version"],
            actor=self.request.user,
            source=SOURCE,
        )


class ReferralInspectView(ScopedInspectView):
    template_name = TEMPLATES + "referral_inspect.html"

    def get(self, request, *args, **kwargs):
        disclosure_record(
            actor=request.user,
            source=SOURCE,
            action=ReferralDisclosure.VIEW,
            referrals=[self.object],
            detail="detail view",
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_changes"] = self.object.status_changes.select_related("changed_by")
        context["can_change"] = self.request.user.has_perm("crm.change_referral")
        context["is_open"] = bool(TRANSITIONS.get(self.object.status))
        context["status_url"] = reverse("referral:status", args=[self.object.pk])
        if is_administrator(self.request.user) and self.request.user.has_perm(
            "crm.view_disclosures"
        ):
            context["disclosures_url"] = (
                reverse("referral:disclosures")
                + "?"
                + urlencode({"student": self.object.student_ref})
            )
        return context


class DisclosureListView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "disclosures.html"
    page_title = "Referral disclosures"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        if not (is_administrator(request.user) and request.user.has_perm("crm.view_disclosures")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        student = self.request.GET.get("student", "").strip()
        context["student"] = student
        context["disclosures"] = list(disclosures_for_student(student)[:500]) if student else []
        return context


class ReferralViewSet(ScopedViewSet):
    model = Referral
    scope = staticmethod(referrals_visible_to)
    permission_policy = referral_permission_policy  # scoped by school (crm/admin/scoping.py)
    # The download is refused without crm.export_referral and logged per student (export_file).
    import_kind = "referrals"
    name = "referral"
    icon = "user"
    menu_label = "Referrals"
    index_view_class = ReferralIndexView
    add_view_class = ReferralCreateView
    edit_view_class = ReferralEditView
    inspect_view_class = ReferralInspectView
    list_display = [
        "__str__",
        "student_ref",
        "school",
        "partner",
        "status",
        "referred_on",
        "follow_up_on",
        QuickStatusColumn("change_status", label="Change status"),
    ]
    filterset_class = ReferralFilterSet
    search_fields = ["student_ref", "partner__name", "school__name"]
    list_export = [
        "id",
        "student_ref",
        "school.name",
        "partner.name",
        "need_category",
        "status",
        "referred_on",
        "status_changed_on",
        "follow_up_on",
        "outcome",
    ]
    export_headings = {"school.name": "School", "partner.name": "Partner"}
    export_filename = "referrals"
    inspect_view_fields = [
        "student_ref",
        "school",
        "partner",
        "grade",
        "need_category",
        "status",
        "referred_on",
        "status_changed_on",
        "consent_on_file",
        "consent_date",
        "contact_preference",
        "follow_up_on",
        "outcome",
        "notes",
    ]

    def get_form_class(self, for_update=False):
        return ReferralEditForm if for_update else ReferralCreateForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/<int:pk>/", ReferralStatusView.as_view(), name="status"),
            path("disclosures/", DisclosureListView.as_view(), name="disclosures"),
        ]
