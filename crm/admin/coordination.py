"""Admin faces for community schools: scoped Event and Referral viewsets, referral status changes,
the disclosure log, the phone-friendly "My schools" page, referral figures and the follow-ups panel.

Every queryset here comes from crm.selectors.coordination, so another school's rows are 404.
"""

from __future__ import annotations

import csv
import io

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from crm.admin.referral_partners import SuggestedPartnersFields
from crm.admin.scoping import event_permission_policy, referral_permission_policy
from crm.admin.ux import TitledPageMixin
from crm.admin.viewsets import NeutralisedIndexView, attach_service_errors
from crm.models import (
    Event,
    EventKind,
    NeedCategory,
    Partner,
    Referral,
    ReferralDisclosure,
    ReferralStatus,
)
from crm.roles import is_administrator
from crm.selectors.agreements import has_current_data_sharing
from crm.selectors.coordination import (
    disclosures_for_student,
    events_on,
    events_visible_to,
    followups_for,
    name_key,
    partner_name_lookup,
    queue_kind,
    queue_reason,
    recent_events,
    referral_figures,
    referral_queue,
    referrals_visible_to,
    schools_of,
    touchpoint_followups_due,
)
from crm.selectors.partners import partner_suggest
from crm.services.activity import event_create, event_update
from crm.services.coordination import SignInSheetError, event_import_signin_sheet
from crm.services.disclosures import disclosure_record
from crm.services.referrals import (
    CLOSED_STATUSES,
    REFERRAL_FIELDS,
    TRANSITIONS,
    StaleEdit,
    referral_create,
    referral_status_change,
    referral_update,
)

SOURCE = "admin"
TEMPLATES = "crm/admin/coordination/"
SIGNIN_MAX_BYTES = 1_000_000
OFFERS_PER_NAME = 5


def live_partners():
    return Partner.objects.filter(merged_into__isnull=True).order_by("name")


class ServiceSaveMixin:
    """Create/edit views whose save goes through a service; its refusals become form errors."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except StaleEdit as exc:
            attach_service_errors(form, exc)
            self.produced_error_message = exc.messages[0]
        except ValidationError as exc:
            attach_service_errors(form, exc)
            self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


class PrefilledCreateMixin:
    """A new record starts at the coordinator's school (when there is one) and today."""

    today_field = "date"

    def get_initial(self):
        initial = super().get_initial()
        schools = list(schools_of(self.request.user)[:2])
        if len(schools) == 1:
            initial["school"] = schools[0].pk
        initial.setdefault(self.today_field, timezone.localdate())
        return initial


class NoDeleteKwargsMixin:
    # These viewsets expose no delete/history/usage/copy routes: writes go through services only.
    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("delete_url_name", "history_url_name", "usage_url_name", "copy_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        keep = {"index", "index_results", "add", "edit", "inspect"}
        return [p for p in super().get_urlpatterns() if p.name in keep]


# --- Events -----------------------------------------------------------------------------------


class EventForm(WagtailAdminModelForm):
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(), required=False, label="Partners present"
    )

    class Meta:
        model = Event
        fields = [
            "school",
            "kind",
            "title",
            "date",
            "participants",
            "items_distributed",
            "pillars",
            "notes",
        ]
        widgets = {"pillars": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools_of(self.for_user)
        self.fields["partners"].queryset = live_partners()
        if self.instance.pk:
            self.fields["partners"].initial = list(
                self.instance.partners.values_list("pk", flat=True)
            )


def _school_choices(request):
    return schools_of(request.user)


class EventFilterSet(WagtailFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=_school_choices, label="School")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    fiscal_year = django_filters.NumberFilter(label="Fiscal year (ending)")

    class Meta:
        model = Event
        fields = ["school", "kind", "fiscal_year"]


class EventIndexView(NeutralisedIndexView):
    import_kind = "events"

    def get_base_queryset(self):
        return events_visible_to(self.request.user)


class EventCreateView(ServiceSaveMixin, PrefilledCreateMixin, generic.CreateView):
    today_field = "date"

    def save_instance(self):
        data = self.form.cleaned_data
        return event_create(
            school=data["school"],
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            participants=data["participants"],
            items_distributed=data["items_distributed"],
            partners=data["partners"],
            pillars=data["pillars"],
            notes=data["notes"],
            actor=self.request.user,
            source=SOURCE,
        )


class EventEditView(ServiceSaveMixin, generic.EditView):
    def get_queryset(self):
        return events_visible_to(self.request.user)

    def save_instance(self):
        data = self.form.cleaned_data
        # The form changed self.object in memory; the service compares against the stored row.
        fresh = self.get_queryset().get(pk=self.object.pk)
        fields = ("school", "kind", "title", "date", "participants", "items_distributed", "notes")
        return event_update(
            event=fresh,
            data={name: data[name] for name in fields},
            partners=data["partners"],
            pillars=data["pillars"],
            actor=self.request.user,
            source=SOURCE,
        )


class EventInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(events_visible_to(self.request.user), pk=self.pk)


class EventViewSet(NoDeleteKwargsMixin, ModelViewSet):
    model = Event
    name = "event"
    icon = "date"
    menu_label = "Events"
    index_view_class = EventIndexView
    add_view_class = EventCreateView
    edit_view_class = EventEditView
    inspect_view_class = EventInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "date", "school", "kind", "participants", "items_distributed"]
    filterset_class = EventFilterSet
    search_fields = ["title", "notes", "school__name"]
    search_backend_name = None
    list_export = ["date", "school.name", "kind", "title", "participants", "items_distributed"]
    export_headings = {"school.name": "School"}
    export_filename = "events"
    inspect_view_fields = [
        "school",
        "kind",
        "title",
        "date",
        "participants",
        "items_distributed",
        "notes",
        "recorded_by",
    ]

    permission_policy = event_permission_policy  # scoped by school (crm/admin/scoping.py)

    def get_form_class(self, for_update=False):
        return EventForm


# --- Referrals --------------------------------------------------------------------------------


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
        self.fields["school"].queryset = schools_of(self.for_user)
        self.fields["partner"].queryset = live_partners()

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
        fields = [
            "partner",
            "need_category",
            "grade",
            "consent_on_file",
            "consent_date",
            "contact_preference",
            "follow_up_on",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = live_partners()
        self.fields["version"].initial = self.instance.version


class ReferralFilterSet(WagtailFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=_school_choices, label="School")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    need_category = django_filters.ChoiceFilter(choices=NeedCategory.choices, label="Need")
    fiscal_year = django_filters.NumberFilter(label="Fiscal year (ending)")

    class Meta:
        model = Referral
        fields = ["school", "status", "need_category", "fiscal_year"]


class ReferralIndexView(NeutralisedIndexView):
    # The download is refused without crm.export_referral and logged per student (export_file).
    import_kind = "referrals"

    def get_base_queryset(self):
        return referrals_visible_to(self.request.user)


class ReferralCreateView(ServiceSaveMixin, PrefilledCreateMixin, generic.CreateView):
    today_field = "referred_on"

    def save_instance(self):
        data = dict(self.form.cleaned_data)
        data.pop("confirm_no_agreement", None)
        data.pop("family_language", None)
        return referral_create(**data, actor=self.request.user, source=SOURCE)


class ReferralEditView(ServiceSaveMixin, generic.EditView):
    def get_queryset(self):
        return referrals_visible_to(self.request.user)

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
        fresh = self.get_queryset().get(pk=self.object.pk)
        return referral_update(
            referral=fresh,
            data={name: data[name] for name in REFERRAL_FIELDS},
            expected_version=data["version"],
            actor=self.request.user,
            source=SOURCE,
        )


class ReferralInspectView(generic.InspectView):
    template_name = TEMPLATES + "referral_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(referrals_visible_to(self.request.user), pk=self.pk)

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


def status_choices(referral: Referral) -> list[tuple[str, str]]:
    """The moves allowed from the referral's status, in the loop's order."""
    allowed = TRANSITIONS.get(referral.status, set())
    return [(s.value, str(s.label)) for s in ReferralStatus if s.value in allowed]


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="New status")
    changed_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required when closing without completing.",
    )
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What came of the referral; required at closure.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, referral: Referral, **kwargs):
        # The one-step form on a card or list row sends a single "note": it is the reason, and
        # the outcome too when the move closes the referral.
        data = kwargs.get("data")
        if data is not None and (data.get("note") or "").strip():
            data = data.copy()
            note = data["note"].strip()
            data["reason"] = data.get("reason") or note
            if data.get("to_status") in CLOSED_STATUSES:
                data["outcome"] = data.get("outcome") or note
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.fields["to_status"].choices = status_choices(referral)

    def clean(self):
        data = super().clean()
        closing = data.get("to_status") in CLOSED_STATUSES
        if closing and not (data.get("outcome") or "").strip() and not self.referral.outcome:
            self.add_error("outcome", "Record the outcome when closing a referral.")
        return data


class ReferralStatusView(TitledPageMixin, WagtailAdminTemplateMixin, FormView):
    template_name = TEMPLATES + "referral_status.html"
    form_class = StatusChangeForm
    page_title = "Change referral status"
    header_icon = "tasks"

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.referral = get_object_or_404(referrals_visible_to(request.user), pk=pk)
        if not request.user.has_perm("crm.change_referral"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.referral)

    def get_initial(self):
        return {"changed_on": timezone.localdate(), "version": self.referral.version}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "referral": self.referral}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["referral"] = self.referral
        context["inspect_url"] = reverse("referral:inspect", args=[self.referral.pk])
        context["next"] = self._next_url()
        return context

    def _next_url(self) -> str:
        """Where a one-step change returns to (the card or list it was made from), if local."""
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if safe else ""

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            referral = referral_status_change(
                referral=self.referral,
                to_status=data["to_status"],
                changed_on=data["changed_on"],
                reason=data["reason"],
                outcome=data["outcome"],
                expected_version=data["version"],
                actor=self.request.user,
                source=SOURCE,
            )
        except ValidationError as exc:
            attach_service_errors(form, exc)
            messages.error(self.request, exc.messages[0])
            return self.form_invalid(form)
        messages.success(self.request, f"{referral} is now {referral.get_status_display()}.")
        return redirect(self._next_url() or reverse("referral:inspect", args=[referral.pk]))


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


class QuickStatusColumn(Column):
    """A listing cell holding the one-step status form (empty for closed referrals)."""

    cell_template_name = TEMPLATES + "quick_status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = context["request"]
        allowed = request is not None and request.user.has_perm("crm.change_referral")
        context.update(
            referral=instance,
            choices=status_choices(instance) if allowed else [],
            today=timezone.localdate(),
            next=request.get_full_path().replace("/results/", "/", 1) if request else "",
        )
        return context


class ReferralViewSet(NoDeleteKwargsMixin, ModelViewSet):
    model = Referral
    name = "referral"
    icon = "user"
    menu_label = "Referrals"
    index_view_class = ReferralIndexView
    add_view_class = ReferralCreateView
    edit_view_class = ReferralEditView
    inspect_view_class = ReferralInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
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
    search_backend_name = None
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

    permission_policy = referral_permission_policy  # scoped by school (crm/admin/scoping.py)

    def get_form_class(self, for_update=False):
        return ReferralEditForm if for_update else ReferralCreateForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/<int:pk>/", ReferralStatusView.as_view(), name="status"),
            path("disclosures/", DisclosureListView.as_view(), name="disclosures"),
        ]


# --- My schools -------------------------------------------------------------------------------


class RecordEventForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=EventKind.choices)
    participants = forms.IntegerField(
        min_value=0, initial=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    items_distributed = forms.IntegerField(
        min_value=0, initial=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    # Picked in the typeahead (hidden ids) or, without JS, typed as names separated by ";".
    partners = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.MultipleHiddenInput
    )
    partner_names = forms.CharField(
        required=False,
        label="Partners present",
        help_text="Start typing a name; without suggestions, separate names with ;",
        widget=forms.TextInput(attrs={"data-partner-picker": "", "autocomplete": "off"}),
    )
    offers: list[tuple[str, list[tuple[int, str]]]] = []
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools_of(user)
        self.fields["school"].queryset = schools
        self.fields["partners"].queryset = live_partners()
        only = list(schools[:2])
        if len(only) == 1:
            self.fields["school"].initial = only[0].pk
            self.fields["school"].widget = forms.HiddenInput()
            self.school_name = only[0].name
        else:
            self.school_name = ""
        self.fields["date"].initial = timezone.localdate()
        self.fields["partner_names"].widget.attrs["data-suggest-url"] = reverse(
            "my_schools:partners"
        )

    def clean(self):
        data = super().clean()
        picked = list(data.get("partners") or [])
        lookup = partner_name_lookup()
        unknown = []
        # Each name the lookup does not know gets the matcher's nearest live partners, which
        # the re-rendered form offers as choices (no retyping, no JavaScript needed).
        self.offers: list[tuple[str, list[tuple[int, str]]]] = []
        for name in filter(None, (n.strip() for n in data.get("partner_names", "").split(";"))):
            pk = lookup.get(name_key(name))
            if pk is None:
                matches = partner_suggest(text=name, limit=OFFERS_PER_NAME)
                self.offers.append((name, [(m.id, m.name) for m in matches]))
                unknown.append(f"{name!r}")
            else:
                picked.append(pk)
        if unknown:
            self.add_error(
                "partner_names",
                f"No partner named {', '.join(unknown)}. Tick the partner you meant below.",
            )
        ids = {getattr(p, "pk", p) for p in picked}
        data["partners"] = list(live_partners().filter(pk__in=ids))
        return data


class SignInSheetForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    sheet = forms.FileField(
        label="Sign-in sheet (CSV)",
        help_text="Columns: date, kind, title, participants, items_distributed, partners "
        "(separated by ;), notes. One row per event; any bad row and nothing is recorded.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools_of(user)
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        if len(only) == 1:
            self.fields["school"].initial = only[0].pk

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        if upload.size > SIGNIN_MAX_BYTES:
            raise ValidationError("The file is larger than 1 MB; split the term into two sheets.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("Save the sheet as CSV (UTF-8) and upload it again.") from None
        reader = csv.DictReader(io.StringIO(text))
        header = {(h or "").strip().lower().replace(" ", "_") for h in reader.fieldnames or []}
        missing = {"date", "kind"} - header
        if missing:
            raise ValidationError(
                f"The header row needs the column(s): {', '.join(sorted(missing))}."
            )
        return list(reader)


def _with_partner_names(form: RecordEventForm, *, user) -> RecordEventForm:
    """The refused form again: partners already resolved (picked or typed exactly) as visible
    names, and each unknown name replaced by the matcher's offers, ticked in one more submit.
    """
    data = form.data.copy()
    ids = [i for i in data.getlist("partners") if str(i).isdigit()]
    names = list(live_partners().filter(pk__in=ids).values_list("name", flat=True))
    lookup = partner_name_lookup()
    typed = [n.strip() for n in data.get("partner_names", "").split(";")]
    known = [n for n in typed if n and name_key(n) in lookup]
    data.setlist("partners", [])
    data["partner_names"] = "; ".join([*names, *known])
    again = RecordEventForm(data, user=user)
    again.is_valid()
    again.offers = getattr(form, "offers", [])
    for error in form.errors.get("partner_names", []):
        if error not in again.errors.get("partner_names", []):
            again.add_error("partner_names", error)
    return again


def _can_record(user) -> bool:
    return user.has_perm("crm.add_event") and (is_administrator(user) or schools_of(user).exists())


class MySchoolsView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "my_schools.html"
    page_title = "My schools"
    header_icon = "home"

    def dispatch(self, request, *args, **kwargs):
        if not _can_record(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        queue = list(referral_queue(user, today=today, include_new=True)[:25])
        can_change = user.has_perm("crm.change_referral")
        context.update(
            today=today,
            today_events=events_on(user, day=today),
            next_url=self.request.get_full_path(),
            cards=[
                {
                    "referral": r,
                    "reason": queue_reason(r, today=today),
                    "kind": queue_kind(r, today=today),
                    "choices": status_choices(r) if can_change else [],
                }
                for r in queue
            ],
            schools=list(schools_of(user)[:50]) if not is_administrator(user) else [],
            record_form=kwargs.get("record_form") or RecordEventForm(user=user),
            sheet_form=kwargs.get("sheet_form") or SignInSheetForm(user=user),
            sheet_errors=kwargs.get("sheet_errors", []),
            events=recent_events(user, limit=10),
            queue=[(r, queue_reason(r, today=today)) for r in queue],
            touchpoints=list(touchpoint_followups_due(user, today=today)[:25]),
            suggest_url=reverse("my_schools:partners"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "signin":
            return self._import_sheet(request)
        form = RecordEventForm(request.POST, user=request.user)
        if not form.is_valid():
            form = _with_partner_names(form, user=request.user)
        else:
            data = form.cleaned_data
            try:
                event = event_create(
                    school=data["school"],
                    kind=data["kind"],
                    date=data["date"],
                    participants=data["participants"],
                    items_distributed=data["items_distributed"],
                    partners=data["partners"],
                    notes=data["notes"],
                    actor=request.user,
                    source=SOURCE,
                )
            except ValidationError as exc:
                attach_service_errors(form, exc)
            else:
                messages.success(request, f"Recorded: {event}.")
                return redirect("my_schools:index")
        messages.error(request, "The event was not recorded; see the form.")
        return self.render_to_response(self.get_context_data(record_form=form))

    def _import_sheet(self, request):
        form = SignInSheetForm(request.POST, request.FILES, user=request.user)
        errors: list[str] = []
        if form.is_valid():
            try:
                events = event_import_signin_sheet(
                    school=form.cleaned_data["school"],
                    rows=form.cleaned_data["sheet"],
                    actor=request.user,
                    source=SOURCE,
                )
            except SignInSheetError as exc:
                errors = exc.row_errors
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, f"Recorded {len(events)} events from the sign-in sheet.")
                return redirect("my_schools:index")
        messages.error(request, "Nothing was recorded from the sign-in sheet.")
        return self.render_to_response(self.get_context_data(sheet_form=form, sheet_errors=errors))


class PartnerSuggestView(View):
    """Typeahead over live partners for the record form: [{"id", "name"}], at most 8."""

    def get(self, request):
        if not _can_record(request.user):
            raise PermissionDenied
        text = request.GET.get("q", "").strip()[:100]
        matches = partner_suggest(text=text, limit=8) if len(text) >= 2 else []
        return JsonResponse({"results": [{"id": m.id, "name": m.name} for m in matches]})


class _RecorderMenuItem(MenuItem):
    def is_shown(self, request):
        return _can_record(request.user)


class MySchoolsViewSet(ViewSet):
    name = "my_schools"
    url_prefix = "my-schools"
    icon = "home"
    menu_label = "My schools"
    menu_item_class = _RecorderMenuItem

    def get_urlpatterns(self):
        return [
            path("", MySchoolsView.as_view(), name="index"),
            path("partners/", PartnerSuggestView.as_view(), name="partners"),
        ]


# --- Referral figures (aggregates only) -------------------------------------------------------


class ReferralFiguresView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "referral_figures.html"
    page_title = "Referral figures"
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fy = self.request.GET.get("fy", "")
        fiscal_year = int(fy) if fy.isdigit() else None
        context["fiscal_year"] = fiscal_year
        context["figures"] = referral_figures(fiscal_year=fiscal_year)
        return context


class ReferralFiguresViewSet(ViewSet):
    name = "referral_figures"
    url_prefix = "referral-figures"
    icon = "table"
    menu_label = "Referral figures"

    def get_urlpatterns(self):
        return [path("", ReferralFiguresView.as_view(), name="index")]


class CommunitySchoolsGroup(ViewSetGroup):
    menu_label = "Community schools"
    menu_icon = "group"
    menu_order = 210
    items = (MySchoolsViewSet, EventViewSet, ReferralViewSet, ReferralFiguresViewSet)


@hooks.register("register_admin_viewset")
def register_community_schools():
    return CommunitySchoolsGroup()


# --- Dashboard panel --------------------------------------------------------------------------


class FollowUpsPanel(Component):
    name = "followups"
    order = 120
    template_name = TEMPLATES + "followups_panel.html"

    def __init__(self, user):
        self.user = user

    @cached_property
    def followups(self):
        return followups_for(self.user, today=timezone.localdate(), limit=10)

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        due = self.followups
        return {
            "due": due,
            "queue": [(r, queue_reason(r, today=today)) for r in due.referrals_needing_action],
            "my_schools_url": reverse("my_schools:index") if _can_record(self.user) else "",
        }


@hooks.register("construct_homepage_panels")
def add_followups_panel(request, panels):
    panels.append(FollowUpsPanel(request.user))
