"""Subscription writes: only http(s) receivers, known events, a fresh secret per subscription."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from api.models import WebhookEvent, WebhookSubscription
from api.tokens import may_act_for
from crm.services.base import audit_record, check_channel

FIELDS = {"name", "url", "events", "active"}


def clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValidationError({"url": "Use an http:// or https:// address."})
    if parts.username or parts.password:
        raise ValidationError({"url": "Put no user name or password in the address."})
    URLValidator(schemes=["http", "https"])(url)
    return url


def clean_events(events) -> list[str]:
    known = {e.value for e in WebhookEvent}
    chosen = sorted({str(e) for e in events or []})
    unknown = [e for e in chosen if e not in known]
    if unknown or not chosen:
        raise ValidationError({"events": f"Choose one or more of: {', '.join(sorted(known))}."})
    return chosen


@transaction.atomic
def subscription_create(
    *, owner, name: str, url: str, events, actor, source: str, active: bool = True
) -> WebhookSubscription:
    check_channel(source)
    if not may_act_for(actor, owner):
        raise PermissionDenied("You can only subscribe for yourself.")
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError({"name": "Give the subscription a name."})
    subscription = WebhookSubscription.objects.create(
        owner=owner,
        name=name,
        url=clean_url(url),
        events=clean_events(events),
        secret=secrets.token_hex(32),
        active=active,
    )
    audit_record(
        actor=actor,
        source=source,
        action="webhook.create",
        instance=subscription,
        changes={"url": subscription.url, "events": subscription.events},
    )
    return subscription


@transaction.atomic
def subscription_update(
    *, subscription: WebhookSubscription, data: dict, actor, source: str
) -> WebhookSubscription:
    check_channel(source)
    if not may_act_for(actor, subscription.owner):
        raise PermissionDenied("You can only change your own subscriptions.")
    unknown = set(data) - FIELDS
    if unknown:
        raise ValidationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    if "url" in data:
        data = {**data, "url": clean_url(data["url"])}
    if "events" in data:
        data = {**data, "events": clean_events(data["events"])}
    changes = {}
    for field, value in data.items():
        if getattr(subscription, field) != value:
            changes[field] = [getattr(subscription, field), value]
            setattr(subscription, field, value)
    if changes:
        subscription.save()
        audit_record(
            actor=actor,
            source=source,
            action="webhook.update",
            instance=subscription,
            changes=changes,
        )
    return subscription
