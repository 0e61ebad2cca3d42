"""Signals the domain sends after bulk writes that model signals never see (queryset.update,
bulk_create, raw SQL): `data_changed` for caches, `audit_recorded_in_bulk` for audit listeners."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.dispatch import Signal

# Sent with sender=<model class> and using=<database alias>.
data_changed = Signal()
# Sent with sender=AuditEntry and entries=[saved AuditEntry, ...] after a bulk insert of audit
# entries: what post_save would have said of each (the API's webhooks listen to both).
audit_recorded_in_bulk = Signal()


def bulk_write_done(model, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that rows of `model` changed in bulk (listeners act when the transaction commits)."""
    data_changed.send(sender=model, using=using)
