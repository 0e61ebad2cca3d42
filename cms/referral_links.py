"""The page a partner opens from a referral link: the pseudonymous id, need, school and
coordinator, and a form to report what happened. No account; the link is the credential."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from crm.models import ReferralStatus
from crm.services.partner_links import (
    LinkRefused,
    partner_choices,
    referral_link_open,
    referral_link_report,
    referral_link_seen,
)

TEMPLATE = "cms/referral_link.html"


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (for declined or unable to reach)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.CharField(
        label=_("Outcome (when completed)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReferralStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in partner_choices(current)]


def _respond(request, context, status=200):
    response = render(request, TEMPLATE, context, status=status)
    # The token is in the address: keep it out of caches, referrers and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def referral_link_page(request, token: str):
    try:
        link = referral_link_open(token=token)
    except LinkRefused as exc:
        return _respond(request, {"refused": str(exc)}, status=410 if exc.gone else 404)
    referral = link.referral
    form = ReportForm(request.POST or None, current=referral.status)
    saved = False
    if request.method == "POST" and not form.fields["status"].choices:
        # The loop is closed: the service refuses and logs any further report.
        try:
            referral_link_report(token=token, to_status=request.POST.get("status", ""))
        except LinkRefused as exc:
            return _respond(request, {"refused": str(exc)}, status=410)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            referral = referral_link_report(
                token=token,
                to_status=data["status"],
                reason=data["reason"],
                outcome=data["outcome"],
            )
            saved = True
            form = ReportForm(current=referral.status)
        except LinkRefused as exc:
            return _respond(request, {"refused": str(exc)}, status=410)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    elif request.method != "POST":
        referral_link_seen(link=link)
    coordinator = referral.referred_by
    return _respond(
        request,
        {
            "referral": referral,
            "form": form if form.fields["status"].choices else None,
            "saved": saved,
            "coordinator": (coordinator.get_full_name() or coordinator.username)
            if coordinator
            else "",
            "expires_at": link.expires_at,
        },
        status=400 if request.method == "POST" and not saved else 200,
    )
