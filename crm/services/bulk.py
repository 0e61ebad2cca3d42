"""The bulk write every service that loads many rows at once goes through: permission-checked,
each row validated, one bulk insert, one audit entry per row, caches told."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import models

from crm.services.base import audit_record_many, check_channel, require_perm
from crm.signals import bulk_write_done

BATCH = 1000
M = TypeVar("M", bound=models.Model)


def check_fields(instance: models.Model) -> None:
    """Validate one unsaved row's own fields.

    Keys come from rows just read or written and the database enforces its constraints, so the
    per-row queries those validations would make are skipped.
    """
    fks = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(exclude=fks, validate_unique=False, validate_constraints=False)


def records_create_many(
    *,
    objects: Sequence[M],
    actor,
    source: str,
    details: Sequence[dict] | None = None,
    describe: Callable[[M], str] | None = None,
) -> list[M]:
    """Insert unsaved rows of one model in bulk, each audited as "<model>.create".

    `details` (one dict per row) go into each row's audit entry; `describe` replaces str(row) in
    the audit trail where str() would read a relation or show what must not be kept there.
    """
    check_channel(source)
    objects = list(objects)
    if not objects:
        return objects
    model = type(objects[0])
    opts = model._meta
    require_perm(actor, f"{opts.app_label}.add_{opts.model_name}")
    for obj in objects:
        check_fields(obj)
    model.objects.bulk_create(objects, batch_size=BATCH)
    action = f"{opts.model_name}.create"
    audit_record_many(
        actor=actor,
        source=source,
        items=[
            (action, obj, dict(extra))
            for obj, extra in zip(objects, details or [{}] * len(objects), strict=True)
        ],
        describe=describe,
    )
    bulk_write_done(model)
    return objects
