"""Bulk actions on the partner, partnership and touchpoint lists (Wagtail's bulk-action
framework): a confirmation page lists what will change, then one service writes them all.
A selection holding any record the person may not change is refused whole."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction

from crm.admin.base import SOURCE
from crm.models import Partner, Partnership, Touchpoint
from crm.selectors.staff import lead_staff_choices, staff_name
from crm.services.list_actions import (
    MAX_RECORDS,
    partner_publish_many,
    partner_publish_refusal,
    partner_unpublish_many,
    partnership_lead_assign_many,
    partnership_lead_refusal,
    touchpoint_follow_up_done_many,
    touchpoint_follow_up_refusal,
)

# Who sees the checkboxes and may open an action at all; the services decide per record.
BULK_PERMS = {
    Partner: ("crm.change_partner",),
    Partnership: ("crm.change_partnership",),
    Touchpoint: ("crm.change_touchpoint", "crm.add_touchpoint"),
}


def may_bulk_act(user, model) -> bool:
    return user.is_active and any(user.has_perm(p) for p in BULK_PERMS.get(model, ()))


class BulkSelectIndexMixin:
    """For a list's index view: a checkbox per row (and the footer of actions, in the template)
    for people who may use its bulk actions."""

    @cached_property
    def offers_bulk_actions(self) -> bool:
        return may_bulk_act(self.request.user, self.model)

    @cached_property
    def columns(self):
        columns = super().columns
        if not self.offers_bulk_actions:
            return columns
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="crm"), *columns]

    def _get_title_column(self, *args, **kwargs):
        kwargs.setdefault("get_title_id", lambda instance: f"crm_{quote(instance.pk)}_title")
        return super()._get_title_column(*args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offers_bulk_actions"] = self.offers_bulk_actions
        return context


class CrmBulkAction(BulkAction):
    """One action on one model: `refusal(user, obj)` says why a record may not be changed."""

    template_name = "crm/admin/lists/bulk_confirm.html"
    model_class: type
    verb: str = ""
    done: str = ""
    related: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not may_bulk_act(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        # Only ids: "all" (select everything) is not offered, and junk must not reach the query.
        ids = [int(i) for i in object_ids if str(i).isdigit()][: MAX_RECORDS + 1]
        rows = model._default_manager.select_related(*cls.related).filter(pk__in=ids)
        return list(rows.order_by("pk"))

    def refusal(self, obj) -> str | None:
        raise NotImplementedError

    def check_perm(self, obj):
        return self.refusal(obj) is None

    def object_context(self, obj):
        return {"item": obj}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refused"] = [
            {"item": obj, "why": self.refusal(obj)} for obj in context["items_with_no_access"]
        ]
        context.update(verb=self.verb, too_many=len(context["items"]) > MAX_RECORDS)
        context["max_records"] = MAX_RECORDS
        return context

    def run(self, objects, data: dict) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        objects, refused = self.get_actionable_objects()
        # Every selected record goes to the service, so one it refuses stops them all.
        objects = [*objects, *refused["items_with_no_access"]]
        try:
            self.run(objects, form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            # Whatever the service refused, nothing was written: say so on the same page.
            messages.error(self.request, " ".join(getattr(exc, "messages", [str(exc)])))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext("%(count)d record %(done)s.", "%(count)d records %(done)s.", len(objects))
            % {"count": len(objects), "done": self.done},
        )
        return redirect(self.next_url)


class PartnerPublishAction(CrmBulkAction):
    models = [Partner]
    display_name = _("Publish")
    action_type = "publish"
    aria_label = _("Publish the selected partners")
    verb = _("Publish these partners on the public site")
    done = _("published")
    action_priority = 10

    def refusal(self, obj):
        return partner_publish_refusal(self.request.user, obj, published=True)

    def run(self, objects, data):
        partner_publish_many(partners=objects, actor=self.request.user, source=SOURCE)


class PartnerUnpublishAction(CrmBulkAction):
    models = [Partner]
    display_name = _("Unpublish")
    action_type = "unpublish"
    aria_label = _("Unpublish the selected partners")
    verb = _("Take these partners off the public site")
    done = _("unpublished")
    action_priority = 20

    def refusal(self, obj):
        return partner_publish_refusal(self.request.user, obj, published=False)

    def run(self, objects, data):
        partner_unpublish_many(partners=objects, actor=self.request.user, source=SOURCE)


class LeadStaffForm(forms.Form):
    lead_staff = forms.ModelChoiceField(
        queryset=lead_staff_choices(), required=False, label=_("Lead staff"), empty_label="None"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_staff"].queryset = lead_staff_choices()
        self.fields["lead_staff"].label_from_instance = staff_name


class PartnershipLeadAction(CrmBulkAction):
    models = [Partnership]
    related = ("partner", "lead_staff")
    form_class = LeadStaffForm
    display_name = _("Assign lead staff")
    action_type = "assign_lead"
    aria_label = _("Assign a lead staff member to the selected partnerships")
    verb = _("Assign a lead staff member to these partnerships")
    done = _("given their lead staff member")
    action_priority = 10

    def refusal(self, obj):
        return partnership_lead_refusal(self.request.user, obj)

    def run(self, objects, data):
        partnership_lead_assign_many(
            partnerships=objects,
            lead_staff=data["lead_staff"],
            actor=self.request.user,
            source=SOURCE,
        )


class TouchpointFollowUpDoneAction(CrmBulkAction):
    models = [Touchpoint]
    related = ("partner",)
    display_name = _("Mark follow-up done")
    action_type = "follow_up_done"
    aria_label = _("Mark the follow-ups of the selected touchpoints done")
    verb = _("Mark the follow-ups of these touchpoints done")
    done = _("marked follow-up done")
    action_priority = 10

    def refusal(self, obj):
        return touchpoint_follow_up_refusal(self.request.user, obj)

    def run(self, objects, data):
        touchpoint_follow_up_done_many(touchpoints=objects, actor=self.request.user, source=SOURCE)


ACTIONS: tuple[Callable, ...] = (
    PartnerPublishAction,
    PartnerUnpublishAction,
    PartnershipLeadAction,
    TouchpointFollowUpDoneAction,
)
for action in ACTIONS:
    hooks.register("register_bulk_action", action)
