"""Uploads kept as previews until the person confirms; large confirmed imports are written by
the background worker (IMPORT_BACKGROUND_ROWS), their progress on the batch for the page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from crm.models import ImportBatch
from crm.services.imports.kinds import import_allowed, kind_spec
from crm.services.imports.pipeline import import_apply
from crm.services.imports.preview import import_analyse, import_read, preview_summary
from crm.services.imports.rows import ImportReport


def background_rows() -> int:
    """Confirmed imports of at least this many rows are written by the background worker."""
    return settings.IMPORT_BACKGROUND_ROWS


@transaction.atomic
def import_batch_create(*, user, kind: str, data: bytes, filename: str) -> ImportBatch:
    """Read and analyse an upload and keep it as the user's preview; raises ImportRefused."""
    import_batch_purge(older_than=dt.timedelta(hours=24))
    if not import_allowed(user, kind):
        raise PermissionDenied(f"You may not import {kind_spec(kind).label}.")
    rows, headers = import_read(kind=kind, data=data, filename=filename)
    parsed = import_analyse(kind=kind, rows=rows, headers=headers, actor=user)
    return ImportBatch.objects.create(
        user=user,
        kind=kind,
        filename=filename[:255],
        rows={"headers": headers, "rows": rows},
        preview={"summary": preview_summary(parsed), "rows": [r.preview() for r in parsed]},
    )


def import_batch_confirm(
    *, batch: ImportBatch, user, decisions: dict, strict: bool
) -> ImportReport | None:
    """Apply a previewed batch with the person's decisions; a refused batch stays for fixing.

    A batch of IMPORT_BACKGROUND_ROWS rows or more is queued for the background worker instead:
    None is returned and the batch shows "queued", then "running", then its result.
    """
    if batch.user_id != user.pk or batch.status != ImportBatch.PREVIEW:
        raise PermissionDenied("This import is not waiting for your confirmation.")
    batch.decisions, batch.strict = decisions, strict
    if len(batch.rows.get("rows", [])) >= background_rows():
        from crm.tasks import import_batch_task  # the task module imports this one

        batch.status, batch.progress = ImportBatch.QUEUED, "Waiting for the background worker."
        batch.save(update_fields=["decisions", "strict", "status", "progress"])
        # The database queue stores the task in this transaction: the worker never sees a
        # task whose batch is not queued yet.
        import_batch_task.enqueue(batch_id=batch.pk)
        return None
    return _apply(batch)


def import_batch_run(*, batch_id: int) -> dict:
    """The background write of one queued batch; a repeat (a requeued task) changes nothing."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.QUEUED:
            return {"skipped": f"import batch {batch_id} is not queued"}
        batch.status = ImportBatch.RUNNING
        batch.save(update_fields=["status"])
    try:
        report = _apply(batch)
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.FAILED, progress=f"Failed: {exc}"[:200]
        )
        raise
    # Nested: a top-level "skipped" is how a task says it did nothing (ops marks it skipped).
    return {"batch": batch_id, "message": report.message, "summary": report.summary()}


def _apply(batch: ImportBatch) -> ImportReport:
    def progress(text: str) -> None:
        # Outside the write's transaction, so a page polling the batch sees it.
        ImportBatch.objects.filter(pk=batch.pk).update(progress=text[:200])

    report = import_apply(
        kind=batch.kind,
        rows=batch.rows["rows"],
        headers=batch.rows["headers"],
        actor=batch.user,
        strict=batch.strict,
        decisions=batch.decisions,
        default_decision=None,
        progress=progress,
    )
    # A refused import goes back to the preview, where the person fixes the file or decisions.
    batch.status = ImportBatch.APPLIED if report.written else ImportBatch.PREVIEW
    if report.written:
        batch.rows = {}
    batch.progress = ""
    batch.result = report.as_dict()
    batch.save()
    return report


def import_batch_purge(*, older_than: dt.timedelta) -> int:
    """Delete previews nobody confirmed within `older_than`, and applied batches' leftovers.

    Batches queued for or being written by the background worker are kept.
    """
    cutoff = timezone.now() - older_than
    old = ImportBatch.objects.filter(created_at__lt=cutoff).exclude(
        status__in=(ImportBatch.QUEUED, ImportBatch.RUNNING)
    )
    deleted, _ = old.delete()
    return deleted
