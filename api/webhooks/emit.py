"""Webhook events come off the audit trail: every service write records an AuditEntry, so a
receiver on its creation sees every face's writes (admin, Slack, API, commands) without the
domain knowing about webhooks. Deliveries are queued once the write has committed."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from crm.models import (
    AuditEntry,
    Partner,
    Partnership,
    PartnershipAgreement,
    PartnershipStatus,
    Referral,
)
from crm.selectors.agreements import agreements_visible_to
from crm.selectors.coordination import referrals_visible_to
from crm.signals import audit_recorded_in_bulk

E = WebhookEvent


def event_for(entry: AuditEntry) -> str | None:
    changes = entry.changes or {}
    if entry.action == "partner.create":
        return E.PARTNER_CREATED
    if entry.action == "partner.update":
        return E.PARTNER_UPDATED
    if entry.action == "partner.merge":
        return E.PARTNER_MERGED
    if entry.action == "partner.merge_undo":
        return E.PARTNER_UNMERGED
    if entry.action == "partnership.create":
        return E.PARTNERSHIP_STARTED
    if entry.action == "partnership.update":
        status = changes.get("status")
        if isinstance(status, list) and status[-1:] == [PartnershipStatus.ENDED]:
            return E.PARTNERSHIP_ENDED
        if isinstance(status, list) and status[-1:] == [PartnershipStatus.ACTIVE]:
            return E.PARTNERSHIP_STARTED
        return None
    if entry.action == "referral.status":
        return E.REFERRAL_STATUS_CHANGED
    if entry.action == "agreement.expiring":
        return E.AGREEMENT_EXPIRING
    return None


def _partner(pk: int | None) -> dict | None:
    p = Partner.objects.filter(pk=pk).values("id", "name", "status", "merged_into_id").first()
    if p is None:
        return None
    return {
        "id": p["id"],
        "name": p["name"],
        "status": p["status"],
        "merged_into": p["merged_into_id"],
    }


def _data(event: str, entry: AuditEntry) -> dict:
    pk = int(entry.object_id)
    changes = entry.changes or {}
    if event in (E.PARTNER_MERGED, E.PARTNER_UNMERGED):
        return {
            "merge": changes.get("merge"),
            "survivor": _partner(changes.get("survivor")),
            "loser": _partner(changes.get("loser")),
        }
    if event in (E.PARTNER_CREATED, E.PARTNER_UPDATED):
        return {"partner": _partner(pk), "changed_fields": sorted(changes)}
    if event in (E.PARTNERSHIP_STARTED, E.PARTNERSHIP_ENDED):
        row = Partnership.objects.filter(pk=pk).values(
            "id", "partner_id", "start_date", "end_date", "status", "strategic", "agreement_type"
        ).first() or {"id": pk}
        return {
            "partnership": {k: (str(v) if hasattr(v, "isoformat") else v) for k, v in row.items()}
        }
    if event == E.AGREEMENT_EXPIRING:
        return {"agreement": _agreement(pk, days_before=changes.get("days_before"))}
    status = changes.get("status") or [None, None]
    return {"referral": {"id": pk, "from_status": status[0], "to_status": status[-1]}}


def _agreement(pk: int, *, days_before) -> dict:
    """The agreement's dates and status, never its document."""
    row = (
        PartnershipAgreement.objects.filter(pk=pk)
        .values(
            "id",
            "kind",
            "signed_on",
            "expires_on",
            "renewal_status",
            "partnership_id",
            "partnership__partner_id",
            "partnership__partner__name",
        )
        .first()
    )
    if row is None:
        return {"id": pk, "days_before": days_before}
    return {
        "id": row["id"],
        "kind": row["kind"],
        "signed_on": row["signed_on"].isoformat(),
        "expires_on": row["expires_on"].isoformat() if row["expires_on"] else None,
        "renewal_status": row["renewal_status"],
        "days_before": days_before,
        "partnership": row["partnership_id"],
        "partner": {
            "id": row["partnership__partner_id"],
            "name": row["partnership__partner__name"],
        },
    }


def may_receive(subscription: WebhookSubscription, event: str, entry: AuditEntry) -> bool:
    owner = subscription.owner
    if not owner.is_active:
        return False
    if event.startswith("partner."):
        return owner.has_perm("crm.view_partner")
    if event.startswith("partnership."):
        return owner.has_perm("crm.view_partnership")
    if event.startswith("agreement."):
        return agreements_visible_to(owner).filter(pk=int(entry.object_id)).exists()
    # Referral events are rows: only owners who may see that very referral receive them.
    return referrals_visible_to(owner).filter(pk=int(entry.object_id)).exists()


def _with_student(data: dict, entry: AuditEntry) -> dict:
    referral = (
        Referral.objects.filter(pk=int(entry.object_id))
        .values("school_id", "partner_id", "student_ref", "need_category")
        .first()
        or {}
    )
    return {"referral": {**data["referral"], **referral}}


def emit(entry_id: int) -> list[WebhookDelivery]:
    """Queue one delivery per subscription that wants this entry's event and may see it."""
    entry = AuditEntry.objects.filter(pk=entry_id).first()
    return emit_entries([entry] if entry else [])


def emit_entries(entries: list[AuditEntry]) -> list[WebhookDelivery]:
    """The deliveries of several entries (a bulk write's), reading the subscriptions once."""
    from api.tasks import deliver_webhook

    found = [(entry, event_for(entry)) for entry in entries]
    found = [(entry, event) for entry, event in found if event is not None]
    if not found:
        return []
    subscriptions = list(WebhookSubscription.objects.select_related("owner").filter(active=True))
    deliveries = []
    for entry, event in found:
        wanting = [s for s in subscriptions if event in (s.events or [])]
        if not wanting:
            continue
        data = _data(event, entry)
        for subscription in wanting:
            if not may_receive(subscription, event, entry):
                continue
            body = _with_student(data, entry) if event == E.REFERRAL_STATUS_CHANGED else data
            event_id = uuid.uuid4()
            deliveries.append(
                WebhookDelivery.objects.create(
                    subscription=subscription,
                    event=event,
                    event_id=event_id,
                    payload={
                        "id": str(event_id),
                        "event": event,
                        "occurred_at": (entry.at or timezone.now()).isoformat(),
                        "channel": entry.channel,
                        "data": body,
                    },
                )
            )
    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)
    return deliveries


def _on_audit_entry(sender, instance: AuditEntry, created: bool, **kwargs) -> None:
    if created and event_for(instance) is not None:
        transaction.on_commit(lambda: emit(instance.pk))


def _on_audit_entries(sender, entries: list[AuditEntry], **kwargs) -> None:
    # A bulk write's entries: post_save never saw them, so they are emitted here, once committed.
    wanted = [entry for entry in entries if event_for(entry) is not None]
    if wanted:
        transaction.on_commit(lambda: emit_entries(wanted))


def connect() -> None:
    post_save.connect(_on_audit_entry, sender=AuditEntry, dispatch_uid="api-webhooks-emit")
    audit_recorded_in_bulk.connect(
        _on_audit_entries, sender=AuditEntry, dispatch_uid="api-webhooks-emit-bulk"
    )
