"""Admin face for partner referral links: share one referral with the partner that received it,
see the links made for it, withdraw one. Scoped like every referral screen."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.models import Contact, ReferralPartnerLink
from crm.selectors.coordination import referrals_visible_to
from crm.services.partner_links import link_days, referral_link_create, referral_link_revoke

SOURCE = "admin"


class LinkForm(forms.Form):
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="E-mail the link to",
        help_text="A contact of the partner; leave empty to copy the link yourself.",
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            partner_id=referral.partner_id
        ).exclude(email="")


class ReferralLinksView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/coordination/referral_links.html"
    page_title = "Partner link"
    header_icon = "link"
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("crm.change_referral"):
            raise PermissionDenied
        self.referral = get_object_or_404(referrals_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        inspect = reverse("referral:inspect", args=[self.referral.pk])
        return [
            *self.breadcrumbs_items,
            {"url": inspect, "label": str(self.referral)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            referral=self.referral,
            links=ReferralPartnerLink.objects.filter(referral=self.referral).select_related(
                "contact", "created_by"
            ),
            form=kwargs.get("form") or LinkForm(referral=self.referral),
            days=link_days(),
            new_url=kwargs.get("new_url"),
        )
        return context

    def post(self, request, pk: int):
        if "revoke" in request.POST:
            link = get_object_or_404(
                ReferralPartnerLink, pk=request.POST["revoke"], referral=self.referral
            )
            referral_link_revoke(link=link, actor=request.user, source=SOURCE)
            messages.success(request, "The link was withdrawn; it no longer opens.")
            return redirect("referral_links", pk=self.referral.pk)
        form = LinkForm(request.POST, referral=self.referral)
        if request.POST.get("action") != "create":
            # Only the button makes a link: an empty or stray POST changes nothing.
            form.add_error(None, "Use the button to make a new link.")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        contact = form.cleaned_data["contact"]

        def url_for(token: str) -> str:
            return request.build_absolute_uri(reverse("referral_link", args=[token]))

        try:
            _, token = referral_link_create(
                referral=self.referral,
                contact=contact,
                url_for=url_for,
                actor=request.user,
                source=SOURCE,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.render_to_response(self.get_context_data(form=form))
        sent = f" and e-mailed to {contact.name}" if contact else ""
        messages.success(request, f"A new partner link was made{sent}; earlier links stop working.")
        return self.render_to_response(self.get_context_data(new_url=url_for(token)))


@hooks.register("register_admin_urls")
def register_referral_link_urls():
    return [
        path("referral-links/<int:pk>/", ReferralLinksView.as_view(), name="referral_links"),
    ]
