"""Token scopes, the request log, idempotency keys, and webhook subscriptions and deliveries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.Model):
    """What Wagtail's API token (hashed, shown once, revocable in the admin) may do here: an
    optional expiry and a read-only flag. A token without a scope row reads and writes."""

    token = models.OneToOneField(
        "wagtailcore.APIToken", on_delete=models.CASCADE, related_name="partnerbase_scope"
    )
    read_only = models.BooleanField(_("read-only"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token scope")

    def __str__(self) -> str:
        return f"{'read-only' if self.read_only else 'read-write'} scope of {self.token}"

    def expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class ApiRequest(models.Model):
    """One line per API request: who, which token, what, and the answer's status."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    token = models.ForeignKey(
        "wagtailcore.APIToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("API request")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"


class IdempotentRequest(models.Model):
    """A POST already answered; the key row commits with the write it guards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return self.key


class WebhookEvent(models.TextChoices):
    PARTNER_CREATED = "partner.created", _("Partner created")
    PARTNER_UPDATED = "partner.updated", _("Partner updated")
    PARTNER_MERGED = "partner.merged", _("Partner merged")
    PARTNER_UNMERGED = "partner.unmerged", _("Partner merge undone")
    PARTNERSHIP_STARTED = "partnership.started", _("Partnership started")
    PARTNERSHIP_ENDED = "partnership.ended", _("Partnership ended")
    REFERRAL_STATUS_CHANGED = "referral.status_changed", _("Referral status changed")
    AGREEMENT_EXPIRING = "agreement.expiring", _("Agreement expiring (60 and 30 days before)")


class WebhookSubscription(models.Model):
    """A receiver URL and the events it wants; what it receives follows its owner's access."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("receiver URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    PENDING = "pending"
    DELIVERED = "delivered"
    RETRYING = "retrying"
    FAILED = "failed"
    STATUSES = [
        (PENDING, _("Pending")),
        (DELIVERED, _("Delivered")),
        (RETRYING, _("Waiting to retry")),
        (FAILED, _("Failed")),
    ]

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription} ({self.get_status_display()})"
