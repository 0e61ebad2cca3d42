"""The write of an import: analyse again, apply the person's decisions, write in one transaction
(strict: all or nothing), and report. `import_file` is read, check and write in one call."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from crm.models import Partner
from crm.services.base import check_channel
from crm.services.imports.kinds import import_allowed, kind_spec
from crm.services.imports.preview import import_analyse, import_read
from crm.services.imports.rows import (
    CONFIRM,
    CREATE,
    DUPLICATE,
    LINK,
    NEW,
    SKIP,
    UPDATE,
    Context,
    ImportReport,
    Row,
)
from crm.signals import bulk_write_done


def _decide(row: Row, decisions: dict, default: str | None) -> str | None:
    """The write for one row: create, update, link:<id>/link:row<N>, skip, or None (undecided)."""
    if row.status in (NEW, UPDATE) and row.confirm:
        choice = decisions.get(str(row.number)) or decisions.get(row.number) or default
        if choice in (CONFIRM, LINK, CREATE):
            return CREATE if row.status == NEW else UPDATE
        return SKIP if choice == SKIP else None
    if row.status == NEW:
        return CREATE
    if row.status == UPDATE:
        return UPDATE
    if row.status != DUPLICATE:
        return SKIP
    choice = decisions.get(str(row.number)) or decisions.get(row.number) or default
    if choice == LINK and row.matches:
        first = row.matches[0]
        choice = f"link:{first['id']}" if "id" in first else f"link:row{first['row']}"
    if choice in (SKIP, CREATE):
        return choice
    if choice and choice.startswith("link:"):
        allowed = {f"link:{m['id']}" if "id" in m else f"link:row{m['row']}" for m in row.matches}
        if choice in allowed:
            return choice
    return None


def import_apply(
    *,
    kind: str,
    rows: list[dict],
    headers: dict[str, str],
    actor,
    source: str = "import",
    strict: bool = True,
    dry_run: bool = False,
    decisions: dict | None = None,
    default_decision: str | None = SKIP,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Analyse again (the database may have changed since the preview), then write in one go.

    Strict: any invalid or undecided row → nothing written. Not strict: those rows are skipped
    and reported. dry_run runs every write and rolls it back, so the counts are exact.
    `progress` is told each stage (the background worker shows it on the batch).
    """
    check_channel(source)
    spec = kind_spec(kind)
    progress = progress or (lambda text: None)
    progress(f"Checking {len(rows):,} rows.")
    parsed = import_analyse(kind=kind, rows=rows, headers=headers, actor=actor, source=source)
    report = ImportReport(kind=kind, rows=parsed, strict=strict, dry_run=dry_run)
    chosen: dict[int, str] = {}
    for row in parsed:
        if row.errors:
            continue
        decision = _decide(row, decisions or {}, default_decision)
        if decision is None:
            what = (
                "Confirm or skip this row."
                if row.confirm
                else "Choose what to do with this likely duplicate."
            )
            row.errors.append(["(row)", what])
            continue
        chosen[row.number] = decision
    if report.errors and strict:
        report.message = (
            f"Nothing was imported: {len(report.errors)} row(s) have problems. "
            "Fix them, or import only the valid rows."
        )
        return report
    report.counts["skipped"] += sum(1 for r in parsed if r.errors) + sum(
        1 for d in chosen.values() if d == SKIP
    )
    ctx = Context(actor=actor, source=source, headers=headers, school_scope=None)
    failed_before = {r.number for r in parsed if r.errors}
    progress(f"Writing {len(chosen):,} rows.")
    try:
        with transaction.atomic():
            report.counts.update(spec.write(parsed, ctx, chosen))
            late = [r for r in parsed if r.errors and r.number not in failed_before]
            if (strict and late) or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    late = [r for r in parsed if r.errors and r.number not in failed_before]
    if strict and late:
        report.counts.clear()
        report.message = (
            f"Nothing was imported: {len(late)} row(s) were refused while writing "
            f"(first: row {late[0].number}: {late[0].errors[-1][1]})."
        )
        return report
    report.counts["skipped"] += len(late)
    report.written = not dry_run
    if report.written:
        # Rows went in through bulk_create, which sends no model signals.
        bulk_write_done(Partner)
    report.message = (
        f"{'Dry run: would import' if dry_run else 'Imported'} "
        f"{report.counts['created']} new, {report.counts['updated']} updated, "
        f"{report.counts['linked']} linked to existing partners; "
        f"{report.counts['skipped']} row(s) skipped."
    )
    return report


class _Rollback(Exception):
    pass


def import_file(
    *,
    kind: str,
    data: bytes,
    filename: str,
    actor,
    source: str = "import",
    strict: bool = True,
    dry_run: bool = False,
    default_decision: str = SKIP,
) -> ImportReport:
    """Read, check and write a file in one call (the command and scripts)."""
    if not import_allowed(actor, kind):
        raise PermissionDenied(f"You may not import {kind_spec(kind).label}.")
    rows, headers = import_read(kind=kind, data=data, filename=filename)
    return import_apply(
        kind=kind,
        rows=rows,
        headers=headers,
        actor=actor,
        source=source,
        strict=strict,
        dry_run=dry_run,
        default_decision=default_decision,
    )
