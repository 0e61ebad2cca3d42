"""The partner's own pages in the admin: create and rename stop at likely duplicates (use the
existing one, or save anyway), a merged-away partner is read-only, and the inspect page holds quick
actions, one activity timeline and the possible duplicates (crm.selectors.partner_page).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton

from crm.admin.base import SOURCE, CrmCreateView, CrmEditView
from crm.admin.quick_add import may_quick_add
from crm.dedup.explain import describe
from crm.models import Partner
from crm.models.editable import PARTNER_IDENTITY_FIELDS
from crm.selectors.partner_page import partner_possible_duplicates, partner_timeline
from crm.selectors.partners import likely_duplicates, partner_matches, partner_resolve
from crm.selectors.service_details import eligibility_labels, languages_text
from crm.services.partners import DuplicatePartner, partner_duplicate_choice_record


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
        context["typed"] = (
            {f: form.data.get(f, "") for f in PARTNER_IDENTITY_FIELDS} if form else {}
        )
        return context


class PartnerCreateView(DuplicateWarningMixin, CrmCreateView):
    """Creating a partner stops at likely duplicates: use the existing one, or create anyway."""

    template_name = "crm/admin/partner_create.html"

    def save_instance(self):
        return self.form.service_create(
            actor=self.request.user,
            source=SOURCE,
            create_anyway=self.request.POST.get("create_anyway") == "1",
        )


class PartnerUseExistingView(PermissionCheckedMixin, View):
    """ "Use existing" on the duplicate warning: record the choice and open that partner."""

    model = Partner
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        chosen = partner_resolve(get_object_or_404(Partner, pk=pk))
        typed = {f: request.POST.get(f, "").strip() for f in PARTNER_IDENTITY_FIELDS}
        if not typed["name"]:
            messages.error(request, _("Type the name of the partner you were adding."))
            return redirect("crm_partner:add")
        offered = likely_duplicates(partner_matches(**typed))
        partner_duplicate_choice_record(
            name=typed["name"], chosen=chosen, matches=offered, actor=request.user, source=SOURCE
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
            source=SOURCE,
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


class QuickAddHeaderMixin:
    """The partner list's header offers Quick add (partner, contact, partnership and first
    touchpoint in one form) beside "Add partner", to those who may use it."""

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if may_quick_add(self.request.user):
            url = reverse("crm_quick_add")
            buttons.append(HeaderButton(_("Quick add"), url=url, icon_name="plus"))
        return buttons


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
        if context["quick_actions"] and may_quick_add(user):
            context["quick_actions"].append(
                (_("Quick add"), f"{reverse('crm_quick_add')}?partner={pk}")
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
