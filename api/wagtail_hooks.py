"""Registers the API's admin screens: API tokens (Wagtail's, with scope), webhooks, deliveries."""

from wagtail import hooks

from api.admin_tokens import TokenViewSet
from api.admin_webhooks import DeliveryViewSet, SubscriptionViewSet


@hooks.register("register_admin_viewset")
def register_api_viewsets():
    return [
        # Wagtail's own name for its token screens: its templates link back to it.
        TokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens"),
        SubscriptionViewSet("api_webhooks", url_prefix="api/webhooks"),
        DeliveryViewSet("api_webhook_deliveries", url_prefix="api/webhook-deliveries"),
    ]
