"""Signals the domain sends: `data_changed` after a bulk write that model signals never see
(queryset.update, bulk_create, raw SQL), so whoever caches CRM data can drop it."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.dispatch import Signal

# Sent with sender=<model class> and using=<database alias>.
data_changed = Signal()


def bulk_write_done(model, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that rows of `model` changed in bulk (listeners act when the transaction commits)."""
    data_changed.send(sender=model, using=using)
