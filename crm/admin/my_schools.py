"""Community schools › My schools: the coordinator's phone-friendly page: today's events, the
referrals needing action (one-step status changes), recording an event (typed partner names
resolved by the matcher) and importing a term's sign-in sheet.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from crm.admin.base import SOURCE, attach_service_errors
from crm.admin.events import event_record
from crm.admin.referral_status import TEMPLATES, status_choices
from crm.admin.ux import TitledPageMixin
from crm.models import EventKind, Partner
from crm.roles import is_administrator
from crm.selectors.coordination import (
    events_on,
    name_key,
    partner_name_lookup,
    queue_kind,
    queue_reason,
    recent_events,
    referral_queue,
    schools_of,
    touchpoint_followups_due,
)
from crm.selectors.partners import partner_suggest
from crm.services.coordination import SignInSheetError, event_import_signin_sheet

SIGNIN_MAX_BYTES = 1_000_000
OFFERS_PER_NAME = 5


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
        self.fields["partners"].queryset = Partner.objects.live()
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
        data["partners"] = list(Partner.objects.live().filter(pk__in=ids))
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
    names = list(Partner.objects.live().filter(pk__in=ids).values_list("name", flat=True))
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


def can_record(user) -> bool:
    return user.has_perm("crm.add_event") and (is_administrator(user) or schools_of(user).exists())


class MySchoolsView(TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "my_schools.html"
    page_title = "My schools"
    header_icon = "home"

    def dispatch(self, request, *args, **kwargs):
        if not can_record(request.user):
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
            try:
                event = event_record(form.cleaned_data, actor=request.user)
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
        if not can_record(request.user):
            raise PermissionDenied
        text = request.GET.get("q", "").strip()[:100]
        matches = partner_suggest(text=text, limit=8) if len(text) >= 2 else []
        return JsonResponse({"results": [{"id": m.id, "name": m.name} for m in matches]})


class _RecorderMenuItem(MenuItem):
    def is_shown(self, request):
        return can_record(request.user)


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
