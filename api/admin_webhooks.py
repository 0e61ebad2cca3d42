"""Admin → Settings → Webhooks and Webhook deliveries: each person manages their own
subscriptions (administrators all); the delivery log is read-only."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from api.webhooks.subscriptions import subscription_create, subscription_update
from crm.admin.base import SaveThroughServiceMixin
from crm.roles import is_administrator

ADMIN = "admin"


class OwnRecordsPolicy(BasePermissionPolicy):
    """Any staff member may add and view; nobody deletes; `change` only where allowed."""

    def __init__(self, model, *, actions=("add", "change", "view")):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return (
            action in self.actions and user.is_active and user.has_perm("wagtailadmin.access_admin")
        )

    def user_has_permission_for_instance(self, user, action, instance):
        owner = getattr(instance, "owner_id", None) or instance.subscription.owner_id
        return self.user_has_permission(user, action) and (
            owner == user.pk or is_administrator(user)
        )


def own(queryset, user, field: str):
    return queryset if is_administrator(user) else queryset.filter(**{field: user.pk})


class SubscriptionForm(WagtailAdminModelForm):
    url = forms.URLField(label=_("Receiver URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple, label=_("Events")
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "events", "active"]


class SubscriptionCreateView(SaveThroughServiceMixin, generic.CreateView):
    def save_instance(self):
        subscription = subscription_create(
            owner=self.request.user, actor=self.request.user, source=ADMIN, **self.form.cleaned_data
        )
        messages.success(
            self.request,
            _("Signing secret (shown only now; keep it in the receiver): %(secret)s")
            % {"secret": subscription.secret},
        )
        return subscription


class SubscriptionEditView(SaveThroughServiceMixin, generic.EditView):
    def get_queryset(self):
        return own(super().get_queryset(), self.request.user, "owner")

    def save_instance(self):
        fresh = WebhookSubscription.objects.get(pk=self.object.pk)
        return subscription_update(
            subscription=fresh, data=self.form.cleaned_data, actor=self.request.user, source=ADMIN
        )


class SubscriptionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return own(super().get_base_queryset(), self.request.user, "owner").select_related("owner")


class SubscriptionViewSet(ModelViewSet):
    model = WebhookSubscription
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    add_view_class = SubscriptionCreateView
    edit_view_class = SubscriptionEditView
    index_view_class = SubscriptionIndexView
    list_display = ["name", "url", "events", "owner", "active", "created_at"]

    def get_form_class(self, for_update=False):
        return SubscriptionForm


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return own(
            super().get_base_queryset(), self.request.user, "subscription__owner"
        ).select_related("subscription")


class DeliveryInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        delivery = super().get_object(queryset)
        if not (
            is_administrator(self.request.user)
            or delivery.subscription.owner_id == self.request.user.pk
        ):
            raise PermissionDenied
        return delivery


class DeliveryViewSet(ModelViewSet):
    """The delivery log: what was sent where, how often, and what the receiver answered."""

    model = WebhookDelivery
    icon = "history"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    list_display = ["event", "subscription", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event"]
    inspect_view_fields = [
        "event", "event_id", "subscription", "status", "attempts", "response_code",
        "last_error", "next_attempt_at", "delivered_at", "created_at", "payload",
    ]  # fmt: skip
    form_fields = ["status"]


register_permission_policy(WebhookSubscription, OwnRecordsPolicy(WebhookSubscription))
register_permission_policy(WebhookDelivery, OwnRecordsPolicy(WebhookDelivery, actions=("view",)))
