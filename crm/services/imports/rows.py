"""What every import kind shares: the row being read, the run's context, the kind's declaration,
the report, and the helpers that read a cell, a school or a partner reference into a row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm.imports import cells
from crm.imports.cells import header_key
from crm.imports.files import MB
from crm.models import Partner, School

NEW, UPDATE, DUPLICATE, ERROR = "new", "update", "duplicate", "error"
SKIP, CREATE, LINK = "skip", "create", "link"
# A row the person must confirm (a reference matched only by likeness, a rename that looks
# like another partner) is written on CONFIRM; the command's --duplicates link/create confirm.
CONFIRM = "confirm"
DECISIONS = (SKIP, LINK, CREATE)


class ImportRefused(ValueError):
    """The whole file is refused (unreadable, unsafe, wrong columns); nothing was written."""


def max_bytes() -> int:
    return getattr(settings, "PARTNERBASE_IMPORT_MAX_BYTES", 10 * MB)


def max_rows() -> int:
    return getattr(settings, "PARTNERBASE_IMPORT_MAX_ROWS", 20_000)


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    status: str = NEW
    label: str = ""
    errors: list[list[str]] = field(default_factory=list)
    matches: list[dict] = field(default_factory=list)
    target: int | None = None
    target_name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    confirm: list[dict] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append([column, message])
        self.status = ERROR

    def preview(self) -> dict:
        return {
            "number": self.number,
            "status": self.status,
            "label": self.label,
            "errors": self.errors,
            "matches": self.matches,
            "target": self.target,
            "target_name": self.target_name,
            "confirm": self.confirm,
        }


@dataclass
class Context:
    actor: Any
    source: str
    headers: dict[str, str]
    school_scope: set[int] | None
    schools: dict[str, School] = field(default_factory=dict)
    partners: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    # Partner references resolved only by likeness: ref -> what it matched and why.
    fuzzy: dict[str, dict] = field(default_factory=dict)

    def column(self, key: str) -> str:
        return self.headers.get(key, key)


@dataclass
class KindSpec:
    name: str
    label: str
    perm: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    analyse: Callable[[list[Row], Context], None]
    write: Callable[[list[Row], Context, dict[int, str]], Counter]
    ignored: frozenset[str] = frozenset()
    # Other headers a column may have (another layout of the same file) → the name above.
    aliases: dict[str, str] = field(default_factory=dict)

    def key(self, header: str) -> str:
        """The column a file's header names for this kind."""
        key = header_key(header)
        return self.aliases.get(key, key)


@dataclass
class ImportReport:
    kind: str
    rows: list[Row]
    counts: Counter = field(default_factory=Counter)
    written: bool = False
    dry_run: bool = False
    strict: bool = True
    message: str = ""

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    def summary(self) -> dict:
        return {
            "created": self.counts["created"],
            "updated": self.counts["updated"],
            "linked": self.counts["linked"],
            "duplicates": sum(1 for r in self.rows if r.status == DUPLICATE),
            "skipped": self.counts["skipped"],
            "errors": len(self.errors),
            "written": self.written,
            "dry_run": self.dry_run,
            "strict": self.strict,
        }

    def as_dict(self) -> dict:
        return {
            "summary": self.summary(),
            "message": self.message,
            "rows": [r.preview() for r in self.rows],
        }


def cell_value(row: Row, ctx: Context, col: str, reader=cells.text, *args, required=False):
    raw = row.cells.get(col, "")
    if required and not raw.strip():
        row.error(ctx.column(col), "This column is required.")
        return None
    try:
        return reader(raw, *args)
    except cells.CellError as exc:
        row.error(ctx.column(col), str(exc))
        return None


def row_school(row: Row, ctx: Context, col: str = "school_cds_code", *, required=True):
    if not required and not row.cells.get(col, "").strip():
        return None
    code = cell_value(row, ctx, col, cells.cds_code, required=required)
    if code is None:
        return None
    school = ctx.schools.get(code)
    if school is None:
        row.error(ctx.column(col), f"No school has CDS code {code}.")
        return None
    if ctx.school_scope is not None and school.pk not in ctx.school_scope:
        row.error(
            ctx.column(col), f"You can only import rows for your own schools; {school} is not one."
        )
        return None
    return school


def row_partner_id(row: Row, ctx: Context, col: str = "partner", *, required=True) -> int | None:
    ref = cells.text(row.cells.get(col, ""))
    if not ref:
        if required:
            row.error(ctx.column(col), "This column is required.")
        return None
    pk, name_or_reason = ctx.partners.get(ref, (None, f"No partner matches “{ref}”."))
    if pk is None:
        row.error(ctx.column(col), name_or_reason)
    note_fuzzy(row, ctx, col, ref)
    return pk


def note_fuzzy(row: Row, ctx: Context, col: str, ref: str) -> None:
    """A reference resolved only by likeness: the preview shows it and the person confirms."""
    found = ctx.fuzzy.get(ref)
    if found:
        row.confirm.append({"kind": "reference", "column": ctx.column(col), **found})


def model_errors(
    row: Row, ctx: Context, instance, *, exclude=(), columns=None, constraints=True
) -> None:
    """Run the model's own field checks on an unsaved instance; name the column on failure."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=False, validate_constraints=constraints
        )
    except ValidationError as exc:
        for fieldname, messages in exc.message_dict.items():
            column = (columns or {}).get(fieldname, fieldname)
            for message in messages:
                row.error(ctx.column(column), message)


def mark_existing(keys: dict[tuple, Row], model, key_fields: tuple[str, ...]) -> None:
    """Rows whose natural key (first field narrows the query) already exists become updates."""
    if not keys:
        return
    found = model.objects.filter(**{f"{key_fields[0]}__in": {k[0] for k in keys}})
    for *key, pk in found.values_list(*key_fields, "id"):
        row = keys.get(tuple(key))
        if row is not None and not row.errors:
            row.status, row.target = UPDATE, pk


@contextmanager
def row_guard(row: Row):
    """One row's writes in a savepoint; a refusal marks the row instead of escaping."""
    try:
        with transaction.atomic():
            yield
    except (ValidationError, PermissionDenied) as exc:
        row.error("(row)", "; ".join(error_messages(exc)))


def write_each(
    rows: list[Row],
    ctx: Context,
    decisions: dict[int, str],
    write: Callable[[Row, Context, str, dict[str, Any]], None],
) -> Counter:
    """Write each row decided CREATE or UPDATE with `write(row, ctx, decision, values)`, each in
    its own savepoint (a refusal marks the row); count what was created and updated."""
    counts: Counter = Counter()
    for row in rows:
        decision = decisions.get(row.number)
        if decision not in (CREATE, UPDATE):
            continue
        with row_guard(row):
            write(row, ctx, decision, dict(row.values))
            counts["created" if decision == CREATE else "updated"] += 1
    return counts


def _partners_resolved(values: dict[str, Any]) -> dict[str, Any]:
    """A row's partner references (ids, as the preview keeps them) as the partners themselves."""
    if "partner_id" in values:
        pk = values.pop("partner_id")
        values["partner"] = Partner.objects.get(pk=pk) if pk else None
    if "partner_ids" in values:
        values["partners"] = list(Partner.objects.filter(pk__in=values.pop("partner_ids")))
    return values


def record_writer(
    *,
    model,
    create: Callable[..., Any],
    update: Callable[..., Any],
    relations: tuple[str, ...] = (),
    create_only: tuple[str, ...] = (),
    renamed_on_update: dict[str, str] | None = None,
    record: str | None = None,
) -> Callable[[list[Row], Context, dict[int, str]], Counter]:
    """A kind's writer over its create and update services, one savepoint a row.

    `relations` go to both services as their own keywords (an update leaves an empty one
    alone); `create_only` values (the natural key, the owning partner) are not updated;
    `renamed_on_update` maps a value to the update service's name for it. The update service
    takes the record under the model's name (`event=`, `referral=`) unless `record` names it.
    """
    instance_arg = record or model._meta.model_name

    def write(row: Row, ctx: Context, decision: str, values: dict[str, Any]) -> None:
        if decision != CREATE:
            for key in create_only:
                values.pop(key, None)
        values = _partners_resolved(values)
        related = {key: values.pop(key) for key in relations}
        if decision == CREATE:
            create(actor=ctx.actor, source=ctx.source, **related, **values)
            return
        for old, new in (renamed_on_update or {}).items():
            values[new] = values.pop(old)
        update(
            **{instance_arg: model.objects.get(pk=row.target)},
            actor=ctx.actor,
            source=ctx.source,
            data=values,
            **{key: value or None for key, value in related.items()},
        )

    return partial(write_each, write=write)


def error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]
