"""The referral form's "Suggested partners" panel: as the coordinator picks the school, need,
family's language and grade, the partners that fit best are listed with why, and one click
chooses one. The ranking is crm.selectors.referral_partners; this is only its face."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail import hooks

from crm.models import Language, NeedCategory
from crm.selectors.coordination import schools_of
from crm.selectors.referral_partners import suggested_partners

PANEL_TEMPLATE = "crm/admin/coordination/suggested_partners.html"


class SuggestedPartnersFields(forms.Form):
    """Mixed into the referral create form: the family's language (used to rank partners, not
    stored) and the script that keeps the suggestions panel up to date."""

    family_language = forms.ChoiceField(
        label="Family's language",
        choices=[("", "---------"), *Language.choices],
        required=False,
        help_text="Used to suggest partners who speak it; not saved with the referral.",
        widget=forms.Select(
            attrs={"data-partner-suggestions": reverse_lazy("crm_referral_partner_suggestions")}
        ),
    )

    class Media:
        css = {"all": ["crm/css/referral_partners.css"]}
        js = ["crm/js/referral_partners.js"]


@require_safe
def partner_suggestions(request):
    """The panel's HTML for ?school=&need_category=&family_language=&grade= (empty until the
    school and need are chosen). Only for people who make referrals, at their own schools."""
    user = request.user
    if not user.has_perm("crm.add_referral"):
        raise PermissionDenied
    need = request.GET.get("need_category", "")
    school_id = request.GET.get("school", "")
    suggestions, school = [], None
    if need in NeedCategory.values and school_id.isdigit():
        school = get_object_or_404(schools_of(user), pk=int(school_id))
        language = request.GET.get("family_language", "")
        suggestions = suggested_partners(
            need=need,
            school=school,
            language=language if language in Language.values else "",
            grade=request.GET.get("grade", "")[:10],
            today=timezone.localdate(),
        )
    html = render_to_string(
        PANEL_TEMPLATE, {"suggestions": suggestions, "school": school}, request=request
    )
    return HttpResponse(html)


@hooks.register("register_admin_urls")
def register_partner_suggestions():
    return [
        path(
            "referral-partners/suggestions/",
            partner_suggestions,
            name="crm_referral_partner_suggestions",
        )
    ]
