"""Changing a referral's status: the status page, its form (the service,
`crm.services.referrals.referral_status_change`, holds the rules: allowed moves, a reason to
close without completing, an outcome at closure) and the one-step form in list rows and cards.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.base import SOURCE, attach_service_errors
from crm.admin.ux import TitledPageMixin
from crm.models import Referral, ReferralStatus
from crm.selectors.coordination import referrals_visible_to
from crm.services.referrals import CLOSED_STATUSES, TRANSITIONS, referral_status_change

TEMPLATES = "crm/admin/coordination/"


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
        self.fields["to_status"].choices = status_choices(referral)


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
