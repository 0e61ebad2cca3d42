"""What the services share: permission checks, validated saves, field updates, and the one builder
of audit entries (single and bulk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from crm.models import AuditEntry, Channel
from crm.roles import is_administrator
from crm.selectors.coordination import schools_of
from crm.signals import audit_recorded_in_bulk

CHANNELS = {c.value for c in Channel}
AUDIT_BATCH = 1000


def check_channel(source: str) -> str:
    if source not in CHANNELS:
        raise ValueError(f"Unknown channel {source!r}; use one of {sorted(CHANNELS)}.")
    return source


def require_perm(actor, perm: str) -> None:
    """Refuse unless the actor holds the permission; actor None is the system itself (commands)."""
    if actor is None:
        return
    if not actor.is_active or not actor.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to do this ({perm}).")


def require_school(actor, school_id: int | None) -> None:
    """Coordinators may only write for their assigned schools; administrators anywhere."""
    if actor is None or is_administrator(actor):
        return
    if not schools_of(actor).filter(pk=school_id).exists():
        raise PermissionDenied("You can only record this for the schools you are assigned to.")


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the audit trail and merge snapshots."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def apply_changes(instance: models.Model, data: dict[str, Any], *, allowed: set[str]) -> dict:
    """Set fields from data; return {field: [old, new]} for those that changed."""
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    changes = {}
    for field, new in data.items():
        if instance._meta.get_field(field).is_relation:
            # Compare keys: reading the relation of an unsaved row would raise.
            old = getattr(instance, f"{field}_id")
            if old != getattr(new, "pk", new):
                changes[field] = [old, plain(new)]
                setattr(instance, field, new)
            continue
        old = getattr(instance, field)
        if old != new:
            changes[field] = [plain(old), plain(new)]
            setattr(instance, field, new)
    return changes


def set_many(instance: models.Model, field: str, values, changes: dict) -> None:
    """Replace a many-to-many field, noting the change by ids."""
    if values is None:
        return
    manager = getattr(instance, field)
    old = sorted(manager.values_list("pk", flat=True))
    new = sorted({v.pk if isinstance(v, models.Model) else int(v) for v in values})
    if old != new:
        manager.set(new)
        changes[field] = [old, new]


def validated_save(instance: models.Model, **kwargs) -> None:
    instance.full_clean()
    instance.save(**kwargs)


def audit_entry(
    *,
    actor,
    source: str,
    action: str,
    instance: models.Model | None = None,
    changes: dict | None = None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """An unsaved audit entry about a record (`instance`), or about something that is not one
    (a queue refresh, a reset) named by `model` and `object_id`: save() it, or see below."""
    if instance is not None:
        model, object_id = instance._meta.model_name, str(instance.pk)
        object_repr = object_repr or str(instance)
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        channel=check_channel(source),
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:255],
        changes=changes or {},
    )


def audit_record(
    *, actor, source: str, action: str, instance: models.Model, changes: dict | None = None
) -> AuditEntry:
    """Write one audit entry about a record (its post_save is what the API's webhooks hear)."""
    entry = audit_entry(
        actor=actor, source=source, action=action, instance=instance, changes=changes
    )
    entry.save()
    return entry


def audit_record_many(
    *,
    actor,
    source: str,
    items: Iterable[tuple[str, models.Model, dict]],
    describe: Callable[[models.Model], str] | None = None,
) -> list[AuditEntry]:
    """Write one audit entry per (action, record, changes) in bulk, after a bulk write.

    bulk_create sends no post_save, so `audit_recorded_in_bulk` tells the same listeners
    (the API's webhooks) about every entry, exactly as if each had been saved alone.
    """
    entries = [
        audit_entry(
            actor=actor,
            source=source,
            action=action,
            instance=obj,
            changes=changes,
            object_repr=describe(obj) if describe else "",
        )
        for action, obj, changes in items
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=AUDIT_BATCH)
    if entries:
        audit_recorded_in_bulk.send(sender=AuditEntry, entries=entries)
    return entries
