"""Reading a file and previewing it: columns checked, every row validated and classified
new / update / duplicate / error. Nothing here writes."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied

from crm.imports.files import FileRefused, read_table
from crm.roles import is_administrator
from crm.selectors.coordination import schools_of
from crm.services.imports.kinds import import_allowed, kind_spec
from crm.services.imports.refs import preload
from crm.services.imports.rows import (
    DUPLICATE,
    ERROR,
    NEW,
    UPDATE,
    Context,
    ImportRefused,
    Row,
    max_bytes,
    max_rows,
)


def import_read(*, kind: str, data: bytes, filename: str) -> tuple[list[dict], dict[str, str]]:
    """Parse the file and check its columns; rows as [{"n": row number, "c": {column: text}}]."""
    spec = kind_spec(kind)
    try:
        table = read_table(data, filename, max_bytes=max_bytes(), max_rows=max_rows())
    except FileRefused as exc:
        raise ImportRefused(str(exc)) from exc
    keys = [spec.key(h) for h in table.headers]
    problems = []
    seen: Counter = Counter(k for k in keys if k)
    duplicated = [h for h, k in zip(table.headers, keys, strict=True) if k and seen[k] > 1]
    if duplicated:
        problems.append(f"Duplicated column(s): {', '.join(sorted(set(duplicated)))}.")
    if any(not k for k in keys):
        problems.append("A column has no header; give every column a name or delete it.")
    known = set(spec.required) | set(spec.optional) | spec.ignored
    missing = [c for c in spec.required if c not in seen]
    if missing:
        problems.append(f"Missing required column(s): {', '.join(missing)}.")
    extra = [h for h, k in zip(table.headers, keys, strict=True) if k and k not in known]
    if extra:
        problems.append(
            f"Unknown column(s): {', '.join(extra)}. "
            f"The columns of a {spec.label} file are: {', '.join(spec.required + spec.optional)}."
        )
    if problems:
        raise ImportRefused(" ".join(problems))
    width = len(keys)
    rows = []
    for number, record in zip(table.numbers, table.rows, strict=True):
        values = {k: (record[i] if i < len(record) else "") for i, k in enumerate(keys)}
        if len(record) > width and any(c.strip() for c in record[width:]):
            values["__extra__"] = f"This row has {len(record)} cells; the header has {width}."
        rows.append({"n": number, "c": values})
    return rows, dict(zip(keys, table.headers, strict=True))


def import_analyse(
    *, kind: str, rows: list[dict], headers: dict[str, str], actor, source: str = "import"
) -> list[Row]:
    """Validate every row and classify it new / update / duplicate / error; writes nothing."""
    spec = kind_spec(kind)
    if not import_allowed(actor, kind):
        raise PermissionDenied(f"You may not import {spec.label}.")
    scope = None
    if actor is not None and not is_administrator(actor):
        if kind in ("events", "referrals"):
            scope = set(schools_of(actor).values_list("pk", flat=True))
    ctx = Context(actor=actor, source=source, headers=headers, school_scope=scope)
    parsed = [Row(number=r["n"], cells=dict(r["c"])) for r in rows]
    for row in parsed:
        extra = row.cells.pop("__extra__", "")
        if extra:
            row.error("(row)", extra)
    preload(parsed, ctx)
    spec.analyse(parsed, ctx)
    return parsed


def preview_summary(parsed: list[Row]) -> dict:
    counts = Counter(r.status for r in parsed)
    return {s: counts[s] for s in (NEW, UPDATE, DUPLICATE, ERROR)}
