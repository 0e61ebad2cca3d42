"""Quick add: one phone-friendly admin form for a partner (new or existing), a contact, a
partnership and its first touchpoint, saved by `partnership_log_from_intake` as Slack's modal is."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.base import attach_service_errors
from crm.admin.ux import TitledPageMixin
from crm.dedup.explain import describe
from crm.models import (
    AgreementType,
    Channel,
    PartnerKind,
    ServiceCategory,
    TouchpointChannel,
)
from crm.selectors.catalog import partner_briefs
from crm.selectors.partners import likely_duplicates, partner_matches
from crm.services.intake import (
    DUPLICATE,
    EXISTS,
    Intake,
    partnership_log_from_intake,
    touchpoint_log_from_intake,
)

SOURCE = Channel.ADMIN
NEEDS = ("crm.add_partnership", "crm.add_touchpoint")
NOTHING_SAVED = "Nothing was saved."

# The form's sections, in order, by field name.
SECTIONS = (
    ("Organization", ("name", "kind", "service_categories")),
    ("Contact", ("contact_name", "contact_role", "contact_email", "contact_phone")),
    ("Partnership", ("strategic", "agreement_type")),
    ("First touchpoint", ("channel", "occurred_on", "notes")),
)


def may_quick_add(user) -> bool:
    return all(user.has_perm(perm) for perm in NEEDS)


class QuickAddForm(forms.Form):
    partner = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Organization name",
        required=False,
        max_length=255,
        help_text="A new partner is checked against existing ones before it is created.",
    )
    kind = forms.ChoiceField(choices=PartnerKind.choices, initial=PartnerKind.NONPROFIT)
    service_categories = forms.ModelMultipleChoiceField(
        label="Services",
        queryset=ServiceCategory.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(label="Contact name", required=False, max_length=200)
    contact_role = forms.CharField(label="Contact role", required=False, max_length=200)
    contact_email = forms.EmailField(label="Contact email", required=False)
    contact_phone = forms.CharField(label="Contact phone", required=False, max_length=40)
    strategic = forms.BooleanField(
        label="Strategic partnership (counts toward the goal)", required=False
    )
    agreement_type = forms.ChoiceField(
        label="Agreement type", choices=AgreementType.choices, initial=AgreementType.INFORMAL
    )
    channel = forms.ChoiceField(
        label="How you met", choices=TouchpointChannel.choices, initial=TouchpointChannel.CALL
    )
    occurred_on = forms.DateField(label="When", widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["service_categories"].queryset.exists():
            # No vocabulary yet: an empty "Services" heading would only puzzle.
            del self.fields["service_categories"]

    def sections(self):
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in SECTIONS
        ]


class QuickAddView(TitledPageMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "crm/admin/quick_add.html"
    form_class = QuickAddForm
    page_title = "Quick add"
    header_icon = "plus"

    duplicates: list[dict] = []
    exists: dict | None = None

    def dispatch(self, request, *args, **kwargs):
        if not may_quick_add(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        picked = self.request.GET.get("partner", "")
        return {
            "occurred_on": timezone.localdate(),
            "partner": int(picked) if picked.isdigit() else None,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        picked = form["partner"].value()
        briefs = partner_briefs([int(picked)]) if str(picked or "").isdigit() else {}
        context.update(
            adding_to=next(iter(briefs.values()), (None,))[0],
            duplicates=self.duplicates,
            exists=self.exists,
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        action = self.request.POST
        try:
            if action.get("log_instead", "").isdigit():
                intake = touchpoint_log_from_intake(
                    partner_id=int(action["log_instead"]), **self._touchpoint(data)
                )
            else:
                intake = partnership_log_from_intake(**self._intake(data, action))
        except (ValidationError, PermissionDenied) as exc:
            attach_service_errors(form, exc)
            messages.error(self.request, NOTHING_SAVED)
            return self.form_invalid(form)
        if intake.status == DUPLICATE:
            return self._show_duplicates(form, intake)
        if intake.status == EXISTS:
            return self._show_exists(form, intake)
        messages.success(self.request, _saved_message(intake))
        return redirect("crm_partner:inspect", intake.partner.pk)

    def _touchpoint(self, data: dict) -> dict:
        return {
            "actor": self.request.user,
            "source": SOURCE,
            "contact_name": data["contact_name"],
            "contact_role": data["contact_role"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "notes": data["notes"],
            "channel": data["channel"],
            "occurred_on": data["occurred_on"],
        }

    def _intake(self, data: dict, action) -> dict:
        chosen = action.get("use_partner", "")
        offered = []
        if chosen.isdigit():
            # "Use this partner" from the prompt: the choice is recorded against what was typed.
            offered = likely_duplicates(partner_matches(name=data["name"]))
        return {
            **self._touchpoint(data),
            "partner_id": int(chosen) if chosen.isdigit() else data["partner"],
            "name": data["name"],
            "kind": data["kind"],
            "service_categories": data.get("service_categories") or (),
            "strategic": data["strategic"],
            "agreement_type": data["agreement_type"],
            "create_anyway": action.get("create_anyway") == "1",
            "offered": offered,
        }

    def _show_duplicates(self, form, intake: Intake):
        briefs = partner_briefs(m.id for m in intake.matches)
        self.duplicates = [
            {
                "id": m.id,
                "name": briefs[m.id][0],
                "status": briefs[m.id][1],
                "reasons": describe(m),
                "url": reverse("crm_partner:inspect", args=[m.id]),
            }
            for m in intake.matches
            if m.id in briefs
        ]
        return self.render_to_response(self.get_context_data(form=form))

    def _show_exists(self, form, intake: Intake):
        partnership = intake.partnership
        lead = partnership.lead_staff
        self.exists = {
            "partner_id": intake.partner.pk,
            "partner": intake.partner.name,
            "url": reverse("crm_partner:inspect", args=[intake.partner.pk]),
            "kind": ("strategic " if partnership.strategic else "")
            + str(partnership.get_agreement_type_display()),
            "since": partnership.start_date,
            "lead": (lead.get_full_name() or lead.get_username()) if lead else "",
        }
        return self.render_to_response(self.get_context_data(form=form))


def _saved_message(intake: Intake) -> str:
    name = intake.partner.name
    if intake.partnership is None:
        return f"Logged a touchpoint with {name}; its partnership is unchanged."
    verb = "Created partner" if intake.created_partner else "Used existing partner"
    return f"{verb} {name} and logged the partnership and a touchpoint."


class QuickAddMenuItem(MenuItem):
    def is_shown(self, request):
        return may_quick_add(request.user)


@hooks.register("register_admin_urls")
def register_quick_add_url():
    return [path("quick-add/", QuickAddView.as_view(), name="crm_quick_add")]


@hooks.register("register_admin_menu_item")
def register_quick_add_menu_item():
    return QuickAddMenuItem("Quick add", reverse("crm_quick_add"), icon_name="plus", order=105)
