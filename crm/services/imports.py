"""The one import service the admin and `import_records` share: read, check, preview, then write.

Nothing is written before `import_apply`; it writes in one transaction, strict (all or nothing)
by default, partners in bulk after one batched duplicate check, every record audited as "import".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from crm.dedup.explain import describe
from crm.dedup.index import MatchIndex
from crm.dedup.match import scan
from crm.dedup.normalize import digits_only, normalize_ein, website_domain
from crm.dedup.record import Record
from crm.dedup.score import LIKELY, Pair
from crm.imports import cells
from crm.imports.files import MB, FileRefused, read_table
from crm.models import (
    AgreementType,
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    ContactPreference,
    District,
    Event,
    EventKind,
    Funding,
    GrantStatus,
    GrantType,
    ImportBatch,
    NeedCategory,
    Partner,
    PartnerKind,
    Partnership,
    PartnershipScope,
    PartnershipStatus,
    PartnerStatus,
    Referral,
    School,
)
from crm.roles import is_administrator
from crm.selectors.coordination import schools_of
from crm.selectors.matcher import current_matcher_model
from crm.selectors.partners import (
    partner_index,
    partner_index_sync,
    partner_matches_many,
)
from crm.services.activity import (
    event_create,
    event_update,
    funding_create,
    funding_update,
    partnership_create,
    partnership_update,
)
from crm.services.base import check_channel
from crm.services.partners import (
    contact_create,
    lock_partner_creation,
    partner_duplicate_choice_record,
    partner_rename_duplicates,
    partner_update,
)
from crm.services.queue import duplicate_candidates_add
from crm.services.referrals import referral_create, referral_update
from crm.services.schools import district_upsert, grant_create, grant_update, school_upsert
from crm.signals import bulk_write_done

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


def header_key(header: str) -> str:
    return "_".join(str(header).strip().lower().replace("-", " ").split())


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


# ---------------------------------------------------------------- reading and checking a file


def import_read(*, kind: str, data: bytes, filename: str) -> tuple[list[dict], dict[str, str]]:
    """Parse the file and check its columns; rows as [{"n": row number, "c": {column: text}}]."""
    spec = kind_spec(kind)
    try:
        table = read_table(data, filename, max_bytes=max_bytes(), max_rows=max_rows())
    except FileRefused as exc:
        raise ImportRefused(str(exc)) from exc
    keys = [header_key(h) for h in table.headers]
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


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ImportRefused(
            f"Unknown import kind {kind!r}; use one of {', '.join(KINDS)}."
        ) from None


def import_allowed(user, kind: str) -> bool:
    """Whether the user may import this kind at all (row scope is checked per row)."""
    if user is None:
        return True
    return bool(user.is_active and user.has_perm(kind_spec(kind).perm))


def import_kinds_for(user) -> list[KindSpec]:
    return [spec for spec in KINDS.values() if import_allowed(user, spec.name)]


# ---------------------------------------------------------------- analysing rows (read-only)


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
    _preload(parsed, ctx)
    spec.analyse(parsed, ctx)
    return parsed


def _preload(rows: list[Row], ctx: Context) -> None:
    """Fetch every school and partner the rows name, in a few queries rather than one per row."""
    codes, refs = set(), set()
    for row in rows:
        for col in ("school_cds_code",):
            if row.cells.get(col, "").strip():
                codes.add(row.cells[col].strip())
        for code in cells.many(row.cells.get("school_cds_codes", "")):
            codes.add(code)
        if row.cells.get("partner", "").strip():
            refs.add(cells.text(row.cells["partner"]))
        refs.update(cells.many(row.cells.get("partners", "")))
    if codes:
        ctx.schools = {s.cds_code: s for s in School.objects.filter(cds_code__in=codes)}
    if refs:
        ctx.partners, ctx.fuzzy = resolve_partner_refs(sorted(refs))


def _website_ref(ref: str) -> str:
    """The domain of a reference written as a website (`https://www.x.org`, `x.org`), or ''."""
    if " " in ref or "." not in ref:
        return ""
    return website_domain(ref)


def resolve_partner_refs(
    refs: list[str],
) -> tuple[dict[str, tuple[int | None, str]], dict[str, dict]]:
    """Each reference (EIN, website or name) → (partner id, name) or (None, why not); batched.

    Also returns the references resolved only by likeness (not by EIN, website or exact
    name), as {ref: {"typed", "id", "name", "reasons"}}: the person confirms those.
    """
    out: dict[str, tuple[int | None, str]] = {}
    fuzzy: dict[str, dict] = {}
    live = Partner.objects.filter(merged_into__isnull=True)
    by_ein = {normalize_ein(r): r for r in refs if normalize_ein(r)}
    if by_ein:
        for pk, name, ein in live.exclude(ein="").values_list("id", "name", "ein"):
            ref = by_ein.get(normalize_ein(ein))
            if ref and ref not in out:
                out[ref] = (pk, name)
    by_domain: dict[str, list[str]] = {}
    for ref in refs:
        if ref not in out and _website_ref(ref):
            by_domain.setdefault(_website_ref(ref), []).append(ref)
    if by_domain:
        owners: dict[str, list[tuple[int, str]]] = {}
        for pk, name, website in live.exclude(website="").values_list("id", "name", "website"):
            domain = website_domain(website)
            if domain in by_domain:
                owners.setdefault(domain, []).append((pk, name))
        for domain, named in by_domain.items():
            hits = owners.get(domain, [])
            for ref in named:
                if len(hits) == 1:
                    out[ref] = hits[0]
                elif hits:
                    out[ref] = (None, _ambiguous(ref, sorted(h[1] for h in hits)))
    lowered = {r.casefold(): r for r in refs if r not in out}
    exact = (
        live.annotate(lname=Lower("name"))
        .filter(lname__in=list(lowered))
        .values_list("id", "name", "lname")
    )
    found: dict[str, list[tuple[int, str]]] = {}
    for pk, name, lname in exact:
        found.setdefault(lowered[lname], []).append((pk, name))
    for ref, hits in found.items():
        out[ref] = hits[0] if len(hits) == 1 else (None, _ambiguous(ref, [h[1] for h in hits]))
    rest = [r for r in refs if r not in out]
    if rest:
        probes = [
            Record(
                id=f"ref:{i}",
                name=r,
                website=r if "." in r and " " not in r else "",
            )
            for i, r in enumerate(rest)
        ]
        for ref, matches in zip(rest, partner_matches_many(probes, limit=3), strict=True):
            likely = [m for m in matches if m.level == LIKELY]
            if not likely:
                out[ref] = (None, f"No partner matches “{ref}”; add or import the partner first.")
            elif len(likely) == 1 or likely[0].score > likely[1].score:
                out[ref] = (int(likely[0].id), likely[0].name)
                fuzzy[ref] = {
                    "typed": ref,
                    "id": int(likely[0].id),
                    "name": likely[0].name,
                    "reasons": describe(likely[0]),
                }
            else:
                out[ref] = (None, _ambiguous(ref, [m.name for m in likely]))
    return out, fuzzy


def _ambiguous(ref: str, names: list[str]) -> str:
    return f"“{ref}” matches several partners ({'; '.join(names)}); use its EIN or website."


def _value(row: Row, ctx: Context, col: str, reader=cells.text, *args, required=False):
    raw = row.cells.get(col, "")
    if required and not raw.strip():
        row.error(ctx.column(col), "This column is required.")
        return None
    try:
        return reader(raw, *args)
    except cells.CellError as exc:
        row.error(ctx.column(col), str(exc))
        return None


def _school(row: Row, ctx: Context, col: str = "school_cds_code", *, required=True):
    if not required and not row.cells.get(col, "").strip():
        return None
    code = _value(row, ctx, col, cells.cds_code, required=required)
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


def _partner_id(row: Row, ctx: Context, col: str = "partner", *, required=True) -> int | None:
    ref = cells.text(row.cells.get(col, ""))
    if not ref:
        if required:
            row.error(ctx.column(col), "This column is required.")
        return None
    pk, name_or_reason = ctx.partners.get(ref, (None, f"No partner matches “{ref}”."))
    if pk is None:
        row.error(ctx.column(col), name_or_reason)
    _note_fuzzy(row, ctx, col, ref)
    return pk


def _note_fuzzy(row: Row, ctx: Context, col: str, ref: str) -> None:
    """A reference resolved only by likeness: the preview shows it and the person confirms."""
    found = ctx.fuzzy.get(ref)
    if found:
        row.confirm.append({"kind": "reference", "column": ctx.column(col), **found})


def _model_errors(
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


# ---------------------------------------------------------------- partners (bulk path)

PARTNER_COLUMNS = (
    "aliases",
    "kind",
    "status",
    "website",
    "ein",
    "phone",
    "street",
    "city",
    "zip",
    "description",
    "public_email",
    "public_phone",
    "published",
    "contact_name",
    "contact_role",
    "contact_email",
    "contact_phone",
)
_PARTNER_TEXT = ("website", "ein", "phone", "street", "city", "zip", "public_phone")


def _clean_partner(row: Row, ctx: Context) -> None:
    v = row.values
    v["name"] = _value(row, ctx, "name", required=True) or ""
    row.label = v["name"]
    v["aliases"] = cells.many(row.cells.get("aliases", ""))
    for col in _PARTNER_TEXT:
        v[col] = cells.text(row.cells.get(col, ""))
    v["description"] = (row.cells.get("description") or "").strip()
    v["public_email"] = cells.text(row.cells.get("public_email", ""))
    raw_kind, raw_status = row.cells.get("kind", ""), row.cells.get("status", "")
    v["kind"] = _value(row, ctx, "kind", cells.choice, PartnerKind) if raw_kind.strip() else ""
    v["status"] = (
        _value(row, ctx, "status", cells.choice, PartnerStatus) if raw_status.strip() else ""
    )
    if v["status"] == PartnerStatus.MERGED:
        row.error(ctx.column("status"), "A partner cannot be imported as merged.")
    raw_published = row.cells.get("published", "")
    v["published"] = _value(row, ctx, "published", cells.boolean) if raw_published.strip() else None
    if v["ein"] and len(digits_only(v["ein"])) != 9:
        row.error(ctx.column("ein"), f"“{v['ein']}” is not a 9-digit EIN.")
    contact = {
        k: cells.text(row.cells.get(f"contact_{k}", "")) for k in ("name", "role", "email", "phone")
    }
    if any(contact.values()) and not contact["name"]:
        row.error(ctx.column("contact_name"), "A contact needs a name.")
    v["contact"] = contact if contact["name"] else None
    if not v["name"]:
        return
    probe = Partner(
        name=v["name"],
        slug="import-probe",
        aliases=v["aliases"],
        kind=v["kind"] or PartnerKind.NONPROFIT,
        status=v["status"] or PartnerStatus.ACTIVE,
        description=v["description"],
        public_email=v["public_email"],
        published=bool(v["published"]),
        **{c: v[c] for c in _PARTNER_TEXT},
    )
    # The partner constraints concern merges only; checking them would cost a query per row.
    _model_errors(
        row,
        ctx,
        probe,
        exclude=("slug", "logo", "created_by", "merged_into"),
        constraints=False,
    )
    if v["contact"]:
        contact_probe = Contact(partner=Partner(pk=0), **v["contact"])
        _model_errors(
            row,
            ctx,
            contact_probe,
            exclude=("partner",),
            columns={k: f"contact_{k}" for k in ("name", "role", "email", "phone")},
        )


def _record(row: Row) -> Record:
    v = row.values
    return Record(
        id=f"row:{row.number}",
        name=v["name"],
        aliases=tuple(v["aliases"]),
        website=v["website"],
        ein=v["ein"],
        phone=v["phone"],
        street=v["street"],
        zip=v["zip"],
    )


def _same_key(row: Row, existing: Record | None) -> bool:
    if existing is None:
        return False
    ein = normalize_ein(row.values["ein"])
    if ein and ein == normalize_ein(existing.ein):
        return True
    # Only the very same name is an update; a merely similar one is for the person to decide.
    name = row.values["name"].casefold()
    return name in {" ".join(n.split()).casefold() for n in (existing.name, *existing.aliases)}


def _analyse_partners(rows: list[Row], ctx: Context) -> None:
    for row in rows:
        if not row.errors:
            _clean_partner(row, ctx)
    valid = [r for r in rows if not r.errors]
    if not valid:
        return
    records = [_record(r) for r in valid]
    index = partner_index()
    # One batch against every live partner, then one batch of the file against itself.
    for row, matches in zip(valid, partner_matches_many(records, limit=3), strict=True):
        likely = [m for m in matches if m.level == LIKELY]
        exact = next((m for m in likely if _same_key(row, index.get(m.id))), None)
        if exact is not None:
            row.status, row.target, row.target_name = UPDATE, int(exact.id), exact.name
        elif likely:
            row.status = DUPLICATE
        row.matches = [
            {
                "id": int(m.id),
                "name": m.name,
                "reasons": describe(m),
                "flag": [float(m.score), m.level, list(m.reasons)],
            }
            for m in likely
            if exact is None
        ]
        if exact is not None:
            _check_rename(row, exact, index.get(exact.id))
    # Duplicates inside the file: one pair scan of the file's own index; later row points back.
    by_number = {r.number: r for r in valid}
    earlier: dict[int, list[tuple[int, Pair]]] = {}
    for pair in scan(MatchIndex(records, model=current_matcher_model())):
        if pair.level != LIKELY:
            continue
        a, b = (int(str(i).split(":")[1]) for i in (pair.left_id, pair.right_id))
        earlier.setdefault(max(a, b), []).append((min(a, b), pair))
    for number, found in earlier.items():
        row = by_number[number]
        if row.status == UPDATE:
            row.matches = [{"id": row.target, "name": row.target_name, "reasons": "same name"}]
            row.target = None
        row.status = DUPLICATE
        row.matches += [
            {
                "row": n,
                "name": by_number[n].values["name"],
                "reasons": describe(pair),
                "flag": [float(pair.score), pair.level, list(pair.reasons)],
            }
            for n, pair in sorted(found, key=lambda item: -item[1].score)[:3]
        ]


def _check_rename(row: Row, exact, known: Record | None) -> None:
    """An update that brings a new name or alias (matched by EIN or name) is checked like a
    create: what the new names newly look like is for the person to confirm."""
    names = {n.casefold() for n in (exact.name, *(known.aliases if known else ()))}
    fresh = [n for n in (row.values["name"], *row.values["aliases"]) if n.casefold() not in names]
    if not fresh:
        return
    partner = Partner.objects.get(pk=int(exact.id))
    flagged = partner_rename_duplicates(partner=partner, data=_row_update_data(row, partner))
    row.confirm += [
        {
            "kind": "rename",
            "typed": "; ".join(fresh),
            "id": int(m.id),
            "name": m.name,
            "reasons": describe(m),
        }
        for m in flagged
        if m.level == LIKELY
    ]


def _unique_slugs(names: list[str]) -> list[str]:
    taken = set(Partner.objects.values_list("slug", flat=True))
    out = []
    for name in names:
        base = slugify(name)[:240] or "partner"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        out.append(slug)
    return out


def _audit_many(ctx: Context, action: str, items: list[tuple[Any, dict]]) -> None:
    actor = ctx.actor if getattr(ctx.actor, "pk", None) else None
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                channel=check_channel(ctx.source),
                action=action,
                model=obj._meta.model_name,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                changes=changes,
            )
            for obj, changes in items
        ],
        batch_size=1000,
    )


def _write_partners(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    lock_partner_creation()
    creating = [r for r in rows if decisions.get(r.number) == CREATE]
    actor = ctx.actor if getattr(ctx.actor, "pk", None) else None
    partners = []
    for row, slug in zip(
        creating, _unique_slugs([r.values["name"] for r in creating]), strict=True
    ):
        v = row.values
        partners.append(
            Partner(
                name=v["name"],
                slug=slug,
                aliases=[a for a in v["aliases"] if a.casefold() != v["name"].casefold()],
                kind=v["kind"] or PartnerKind.NONPROFIT,
                status=v["status"] or PartnerStatus.ACTIVE,
                description=v["description"],
                public_email=v["public_email"],
                published=bool(v["published"]),
                created_by=actor,
                **{c: v[c] for c in _PARTNER_TEXT},
            )
        )
    Partner.objects.bulk_create(partners, batch_size=1000)
    made: dict[int, int] = {}
    audits = []
    for row, partner in zip(creating, partners, strict=True):
        made[row.number] = partner.pk
        details: dict[str, Any] = {"name": partner.name, "import_row": row.number}
        if row.matches:
            details["created_anyway_over"] = row.matches
        audits.append((partner, details))
    _audit_many(ctx, "partner.create", audits)
    counts["created"] += len(partners)
    for row in creating:
        # Created over a likely duplicate: the pairs go to the review queue now.
        found = []
        for m in row.matches:
            other = m["id"] if "id" in m else made.get(m["row"])
            if other is not None and m.get("flag"):
                found.append((other, *m["flag"]))
        duplicate_candidates_add(partner_id=made[row.number], found=found)
    contacts = [
        (Contact(partner_id=made[r.number], **r.values["contact"]), r)
        for r in creating
        if r.values["contact"]
    ]
    Contact.objects.bulk_create([c for c, _ in contacts], batch_size=1000)
    _audit_many(
        ctx,
        "contact.create",
        [
            (c, {"partner": c.partner_id, "name": c.name, "import_row": r.number})
            for c, r in contacts
        ],
    )
    for row in sorted(rows, key=lambda r: r.number):
        decision = decisions.get(row.number, SKIP)
        if decision == UPDATE:
            with _guard(row):
                made[row.number] = _partner_row_update(row, ctx, row.target)
                counts["updated"] += 1
        elif decision.startswith(LINK):
            target = decision.split(":", 1)[1]
            pk = made.get(int(target[3:])) if target.startswith("row") else int(target)
            if pk is None:
                row.error("(row)", f"It links to row {target[3:]}, which was not imported.")
                continue
            with _guard(row):
                partner_duplicate_choice_record(
                    name=row.values["name"],
                    chosen=Partner.objects.get(pk=pk),
                    matches=[],
                    actor=ctx.actor,
                    source=ctx.source,
                )
                made[row.number] = _partner_row_update(row, ctx, pk, link=True)
                counts["linked"] += 1
    # File the new partners now, so the next duplicate check needs no rebuild (updated and
    # linked rows went through partner_update, which files its own change).
    created = [p.pk for p in partners]
    transaction.on_commit(lambda: partner_index_sync(created))
    return counts


def _row_update_data(row: Row, partner: Partner, *, link: bool = False) -> dict[str, Any]:
    """The changes a row makes to an existing partner; its other name becomes an alias."""
    v = row.values
    data: dict[str, Any] = {}
    names = [*partner.aliases, *v["aliases"]]
    if v["name"].casefold() != partner.name.casefold():
        names.append(v["name"])
    if names != partner.aliases:
        data["aliases"] = names
    for col in (*_PARTNER_TEXT, "description", "public_email", "kind", "status"):
        if v[col] and (not link or not getattr(partner, col)):
            data[col] = v[col]
    if v["published"] is not None and not link:
        data["published"] = v["published"]
    return data


def _partner_row_update(row: Row, ctx: Context, pk: int, *, link: bool = False) -> int:
    """Update an existing partner from a row; a linked row only fills blanks and adds aliases."""
    partner = Partner.objects.get(pk=pk)
    v = row.values
    data = _row_update_data(row, partner, link=link)
    if data:
        # A rename the matcher flags was shown in the preview; reaching here means confirmed.
        partner_update(
            partner=partner,
            actor=ctx.actor,
            source=ctx.source,
            data=data,
            rename_anyway=link or bool(row.confirm),
        )
    contact = v["contact"]
    if contact and not partner.contacts.filter(name__iexact=contact["name"]).exists():
        contact_create(partner=partner, actor=ctx.actor, source=ctx.source, **contact)
    return partner.pk


# ---------------------------------------------------------------- schools and districts (CDE)

# The CDE "Public Schools and Districts" export has many more columns than Partnerbase keeps.
CDE_IGNORED = frozenset(
    header_key(c)
    for c in (
        "NCESDist NCESSchool County StreetAbr State MailStreet MailStrAbr MailCity MailZip "
        "MailState Ext FaxNumber Email OpenDate ClosedDate CharterNum FundingType DOC SOC "
        "EdOpsCode EdOpsName EILCode EILName GSoffered Virtual Magnet YearRoundYN "
        "FederalDFCDistrictID AdmFName1 AdmLName1 AdmEmail1 AdmFName2 AdmLName2 AdmEmail2 "
        "AdmFName3 AdmLName3 AdmEmail3 LastUpDate"
    ).split()
)
SCHOOL_REQUIRED = ("cdscode", "district", "school")
SCHOOL_OPTIONAL = (
    "street",
    "city",
    "zip",
    "phone",
    "website",
    "statustype",
    "doctype",
    "soctype",
    "gsserved",
    "charter",
    "latitude",
    "longitude",
)


def _coordinate(row: Row, ctx: Context, col: str, limit: int):
    number = _value(row, ctx, col, cells.decimal, None)
    if number is not None and abs(number) > limit:
        row.error(ctx.column(col), f"{number} is outside -{limit}..{limit}.")
        return None
    return number.quantize(cells.Decimal("0.000001")) if number is not None else None


def _analyse_schools(rows: list[Row], ctx: Context) -> None:
    codes = set()
    for row in rows:
        if row.errors:
            continue
        code = _value(row, ctx, "cdscode", cells.cds_code, required=True)
        name = cells.text(row.cells.get("school", ""))
        district_name = _value(row, ctx, "district", required=True)
        is_district = code is not None and (code.endswith("0000000") or name in ("", "No Data"))
        if not is_district and not name:
            row.error(ctx.column("school"), "This column is required.")
        charter = row.cells.get("charter", "").strip()
        data = {
            "street": cells.text(row.cells.get("street", "")),
            "city": cells.text(row.cells.get("city", "")),
            "zip": cells.text(row.cells.get("zip", "")),
            "phone": cells.text(row.cells.get("phone", "")),
            "website": cells.text(row.cells.get("website", "")),
            "latitude": _coordinate(row, ctx, "latitude", 90),
            "longitude": _coordinate(row, ctx, "longitude", 180),
        }
        status = cells.text(row.cells.get("statustype", ""))
        if status:
            data["status"] = status
        if is_district:
            data.update(name=district_name, district_type=cells.text(row.cells.get("doctype", "")))
            row.label = f"District {district_name}"
        else:
            data.update(
                name=name,
                school_type=cells.text(row.cells.get("soctype", "")),
                grades=cells.text(row.cells.get("gsserved", "")),
                charter=bool(_value(row, ctx, "charter", cells.boolean)) if charter else False,
            )
            row.label = name
        row.values = {
            "code": code,
            "district": is_district,
            "district_name": district_name,
            "data": data,
        }
        if code:
            codes.add(code)
            codes.add(code[:7] + "0000000")
    valid = [r for r in rows if not r.errors]
    existing_schools = set(
        School.objects.filter(cds_code__in=codes).values_list("cds_code", flat=True)
    )
    existing_districts = set(
        District.objects.filter(cds_code__in=codes).values_list("cds_code", flat=True)
    )
    seen = set()
    for row in valid:
        code = row.values["code"]
        if code in seen:
            row.error(ctx.column("cdscode"), f"CDS code {code} appears on an earlier row too.")
            continue
        seen.add(code)
        table = existing_districts if row.values["district"] else existing_schools
        row.status = UPDATE if code in table else NEW
        probe_cls = District if row.values["district"] else School
        data = dict(row.values["data"])
        probe = probe_cls(cds_code=code, **data)
        _model_errors(
            row,
            ctx,
            probe,
            exclude=("district", "slug"),
            columns={"name": "school" if not row.values["district"] else "district"},
        )


def _write_schools(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    todo = [r for r in rows if decisions.get(r.number) in (CREATE, UPDATE)]
    # Districts first, so the schools below can point at them.
    for row in sorted(todo, key=lambda r: not r.values["district"]):
        with _guard(row):
            v = row.values
            if v["district"]:
                _, changed = district_upsert(
                    cds_code=v["code"], data=v["data"], actor=ctx.actor, source=ctx.source
                )
            else:
                district_code = v["code"][:7] + "0000000"
                district = District.objects.filter(cds_code=district_code).first()
                if district is None:
                    district, _ = district_upsert(
                        cds_code=district_code,
                        data={"name": v["district_name"]},
                        actor=ctx.actor,
                        source=ctx.source,
                    )
                _, changed = school_upsert(
                    cds_code=v["code"],
                    data={**v["data"], "district": district},
                    actor=ctx.actor,
                    source=ctx.source,
                )
            counts["created" if row.status == NEW else "updated"] += 1 if changed else 0
            counts["unchanged"] += 0 if changed else 1
    return counts


# ---------------------------------------------------------------- grants

GRANT_REQUIRED = ("school_cds_code", "grant_type", "cohort", "start_date", "end_date")
GRANT_OPTIONAL = ("amount", "status")


def _analyse_grants(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        school = _school(row, ctx)
        v = {
            "grant_type": _value(row, ctx, "grant_type", cells.choice, GrantType, required=True),
            "cohort": _value(row, ctx, "cohort", cells.integer, required=True),
            "start_date": _value(row, ctx, "start_date", cells.date, required=True),
            "end_date": _value(row, ctx, "end_date", cells.date, required=True),
            "amount": _value(row, ctx, "amount", cells.decimal) or cells.Decimal("0"),
        }
        if row.cells.get("status", "").strip():
            v["status"] = _value(row, ctx, "status", cells.choice, GrantStatus)
        if row.errors:
            continue
        row.values = {"school": school, **v}
        row.label = f"{school} · {v['grant_type']} cohort {v['cohort']}"
        keys[(school.pk, v["grant_type"], v["cohort"])] = row
        _model_errors(row, ctx, CommunitySchoolGrant(**row.values), exclude=())
    existing = CommunitySchoolGrant.objects.filter(school_id__in={k[0] for k in keys}).values_list(
        "school_id", "grant_type", "cohort", "id"
    )
    for school_id, grant_type, cohort, pk in existing:
        row = keys.get((school_id, grant_type, cohort))
        if row is not None and not row.errors:
            row.status, row.target = UPDATE, pk


def _write_grants(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if decisions.get(row.number) in (None, SKIP):
            continue
        with _guard(row):
            decision = decisions.get(row.number)
            values = dict(row.values)
            if decision == CREATE:
                grant_create(actor=ctx.actor, source=ctx.source, **values)
                counts["created"] += 1
            elif decision == UPDATE:
                grant = CommunitySchoolGrant.objects.get(pk=row.target)
                values.pop("school")
                grant_update(grant=grant, actor=ctx.actor, source=ctx.source, data=values)
                counts["updated"] += 1
    return counts


# ---------------------------------------------------------------- partnerships

PARTNERSHIP_REQUIRED = ("partner", "start_date")
PARTNERSHIP_OPTIONAL = (
    "title",
    "scope",
    "end_date",
    "status",
    "strategic",
    "agreement_type",
    "school_cds_codes",
    "notes",
)


def _analyse_partnerships(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        partner_id = _partner_id(row, ctx)
        v: dict[str, Any] = {
            "title": cells.text(row.cells.get("title", "")),
            "start_date": _value(row, ctx, "start_date", cells.date, required=True),
            "end_date": _value(row, ctx, "end_date", cells.date),
            "strategic": bool(_value(row, ctx, "strategic", cells.boolean)),
            "notes": (row.cells.get("notes") or "").strip(),
        }
        for col, choices in (
            ("scope", PartnershipScope),
            ("status", PartnershipStatus),
            ("agreement_type", AgreementType),
        ):
            if row.cells.get(col, "").strip():
                v[col] = _value(row, ctx, col, cells.choice, choices)
        schools = []
        for code in cells.many(row.cells.get("school_cds_codes", "")):
            school = ctx.schools.get(code)
            if school is None:
                row.error(ctx.column("school_cds_codes"), f"No school has CDS code {code}.")
            schools.append(school)
        if row.errors:
            continue
        row.values = {"partner_id": partner_id, "schools": schools, **v}
        row.label = f"{ctx.partners[cells.text(row.cells['partner'])][1]} from {v['start_date']}"
        probe = {k: val for k, val in v.items() if k != "schools"}
        _model_errors(row, ctx, Partnership(partner_id=partner_id, **probe), exclude=("partner",))
        keys[(partner_id, v["start_date"], v["title"])] = row
    _mark_existing(keys, Partnership, ("partner_id", "start_date", "title"))


def _write_partnerships(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if decisions.get(row.number) in (None, SKIP):
            continue
        with _guard(row):
            decision = decisions.get(row.number)
            v = dict(row.values)
            schools = v.pop("schools")
            partner_id = v.pop("partner_id")
            if decision == CREATE:
                partnership_create(
                    partner=Partner.objects.get(pk=partner_id),
                    actor=ctx.actor,
                    source=ctx.source,
                    schools=schools,
                    **v,
                )
                counts["created"] += 1
            elif decision == UPDATE:
                partnership_update(
                    partnership=Partnership.objects.get(pk=row.target),
                    actor=ctx.actor,
                    source=ctx.source,
                    data=v,
                    schools=schools or None,
                )
                counts["updated"] += 1
    return counts


# ---------------------------------------------------------------- events

EVENT_REQUIRED = ("school_cds_code", "kind", "date")
EVENT_OPTIONAL = ("title", "participants", "items_distributed", "partners", "notes")


def _analyse_events(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        school = _school(row, ctx)
        v = {
            "kind": _value(row, ctx, "kind", cells.choice, EventKind, required=True),
            "date": _value(row, ctx, "date", cells.date, required=True),
            "title": cells.text(row.cells.get("title", "")),
            "participants": _value(row, ctx, "participants", cells.integer) or 0,
            "items_distributed": _value(row, ctx, "items_distributed", cells.integer) or 0,
            "notes": (row.cells.get("notes") or "").strip(),
        }
        partner_ids = []
        for ref in cells.many(row.cells.get("partners", "")):
            pk, why = ctx.partners.get(ref, (None, f"No partner matches “{ref}”."))
            if pk is None:
                row.error(ctx.column("partners"), why)
            _note_fuzzy(row, ctx, "partners", ref)
            partner_ids.append(pk)
        if row.errors:
            continue
        row.values = {"school": school, "partner_ids": partner_ids, **v}
        row.label = v["title"] or f"{EventKind(v['kind']).label} at {school} on {v['date']}"
        _model_errors(row, ctx, Event(school=school, **v), exclude=("recorded_by",))
        keys[(school.pk, v["date"], v["kind"], v["title"])] = row
    _mark_existing(keys, Event, ("school_id", "date", "kind", "title"))


def _write_events(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if decisions.get(row.number) in (None, SKIP):
            continue
        with _guard(row):
            decision = decisions.get(row.number)
            v = dict(row.values)
            partners = list(Partner.objects.filter(pk__in=v.pop("partner_ids")))
            if decision == CREATE:
                event_create(actor=ctx.actor, source=ctx.source, partners=partners, **v)
                counts["created"] += 1
            elif decision == UPDATE:
                event_update(
                    event=Event.objects.get(pk=row.target),
                    actor=ctx.actor,
                    source=ctx.source,
                    data=v,
                    partners=partners or None,
                )
                counts["updated"] += 1
    return counts


# ---------------------------------------------------------------- referrals

REFERRAL_REQUIRED = ("school_cds_code", "partner", "student_ref", "need_category", "referred_on")
REFERRAL_OPTIONAL = (
    "grade",
    "consent_on_file",
    "consent_date",
    "contact_preference",
    "follow_up_on",
    "notes",
)


def _analyse_referrals(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        school = _school(row, ctx)
        partner_id = _partner_id(row, ctx)
        v = {
            "student_ref": _value(row, ctx, "student_ref", required=True),
            "need_category": _value(
                row, ctx, "need_category", cells.choice, NeedCategory, required=True
            ),
            "referred_on": _value(row, ctx, "referred_on", cells.date, required=True),
            "grade": cells.text(row.cells.get("grade", "")),
            "consent_on_file": bool(_value(row, ctx, "consent_on_file", cells.boolean)),
            "consent_date": _value(row, ctx, "consent_date", cells.date),
            "follow_up_on": _value(row, ctx, "follow_up_on", cells.date),
            "notes": (row.cells.get("notes") or "").strip(),
        }
        if row.cells.get("contact_preference", "").strip():
            v["contact_preference"] = _value(
                row, ctx, "contact_preference", cells.choice, ContactPreference
            )
        if row.errors:
            continue
        row.values = {"school": school, "partner_id": partner_id, **v}
        row.label = f"Referral to {ctx.partners[cells.text(row.cells['partner'])][1]}"
        probe = Referral(
            school=school, partner_id=partner_id, status_changed_on=v["referred_on"], **v
        )
        _model_errors(
            row, ctx, probe, exclude=("partner", "referred_by", "anonymised_at", "version")
        )
        keys[(school.pk, v["student_ref"], partner_id, v["referred_on"])] = row
    _mark_existing(keys, Referral, ("school_id", "student_ref", "partner_id", "referred_on"))


def _write_referrals(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if decisions.get(row.number) in (None, SKIP):
            continue
        with _guard(row):
            decision = decisions.get(row.number)
            v = dict(row.values)
            partner = Partner.objects.get(pk=v.pop("partner_id"))
            if decision == CREATE:
                referral_create(partner=partner, actor=ctx.actor, source=ctx.source, **v)
                counts["created"] += 1
            elif decision == UPDATE:
                for key in ("school", "student_ref", "referred_on"):
                    v.pop(key)
                referral_update(
                    referral=Referral.objects.get(pk=row.target),
                    actor=ctx.actor,
                    source=ctx.source,
                    data=v,
                )
                counts["updated"] += 1
    return counts


# ---------------------------------------------------------------- funding

FUNDING_REQUIRED = ("source", "amount", "fiscal_year")
FUNDING_OPTIONAL = ("partner", "received_on", "supports", "school_cds_code")


def _analyse_funding(rows: list[Row], ctx: Context) -> None:
    keys = {}
    for row in rows:
        if row.errors:
            continue
        partner_id = _partner_id(row, ctx, required=False)
        school = _school(row, ctx, required=False)
        v = {
            "source_name": _value(row, ctx, "source", required=True),
            "amount": _value(row, ctx, "amount", cells.decimal, required=True),
            "fiscal_year": _value(row, ctx, "fiscal_year", cells.fiscal_year, required=True),
            "received_on": _value(row, ctx, "received_on", cells.date),
            "supports": cells.text(row.cells.get("supports", "")),
        }
        if row.errors:
            continue
        row.values = {"partner_id": partner_id, "school": school, **v}
        row.label = f"{v['source_name']} · ${v['amount']:,.0f}"
        probe = {k: val for k, val in v.items() if k != "source_name"}
        _model_errors(
            row,
            ctx,
            Funding(source=v["source_name"], partner_id=partner_id, school=school, **probe),
            exclude=("partner",),
        )
        keys[(v["source_name"], v["fiscal_year"], partner_id, school.pk if school else None)] = row
    _mark_existing(keys, Funding, ("source", "fiscal_year", "partner_id", "school_id"))


def _write_funding(rows: list[Row], ctx: Context, decisions: dict[int, str]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        if decisions.get(row.number) in (None, SKIP):
            continue
        with _guard(row):
            decision = decisions.get(row.number)
            v = dict(row.values)
            partner_id = v.pop("partner_id")
            partner = Partner.objects.get(pk=partner_id) if partner_id else None
            if decision == CREATE:
                funding_create(actor=ctx.actor, source=ctx.source, partner=partner, **v)
                counts["created"] += 1
            elif decision == UPDATE:
                v["source"] = v.pop("source_name")
                funding_update(
                    funding=Funding.objects.get(pk=row.target),
                    actor=ctx.actor,
                    source=ctx.source,
                    data={**v, "partner": partner},
                )
                counts["updated"] += 1
    return counts


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            "partners",
            "partners",
            "crm.add_partner",
            ("name",),
            PARTNER_COLUMNS,
            _analyse_partners,
            _write_partners,
        ),
        KindSpec(
            "partnerships",
            "partnerships",
            "crm.add_partnership",
            PARTNERSHIP_REQUIRED,
            PARTNERSHIP_OPTIONAL,
            _analyse_partnerships,
            _write_partnerships,
        ),
        KindSpec(
            "funding",
            "funding",
            "crm.add_funding",
            FUNDING_REQUIRED,
            FUNDING_OPTIONAL,
            _analyse_funding,
            _write_funding,
        ),
        KindSpec(
            "schools",
            "schools (CDE layout)",
            "crm.add_school",
            SCHOOL_REQUIRED,
            SCHOOL_OPTIONAL,
            _analyse_schools,
            _write_schools,
            ignored=CDE_IGNORED,
        ),
        KindSpec(
            "grants",
            "CCSPP grants",
            "crm.add_communityschoolgrant",
            GRANT_REQUIRED,
            GRANT_OPTIONAL,
            _analyse_grants,
            _write_grants,
        ),
        KindSpec(
            "events",
            "events",
            "crm.add_event",
            EVENT_REQUIRED,
            EVENT_OPTIONAL,
            _analyse_events,
            _write_events,
        ),
        KindSpec(
            "referrals",
            "referrals",
            "crm.add_referral",
            REFERRAL_REQUIRED,
            REFERRAL_OPTIONAL,
            _analyse_referrals,
            _write_referrals,
            # Exports carry the status; it only moves through the closed loop, never by import.
            ignored=frozenset({"status"}),
        ),
    )
}


# ---------------------------------------------------------------- writing


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
) -> ImportReport:
    """Analyse again (the database may have changed since the preview), then write in one go.

    Strict: any invalid or undecided row → nothing written. Not strict: those rows are skipped
    and reported. dry_run runs every write and rolls it back, so the counts are exact.
    """
    check_channel(source)
    spec = kind_spec(kind)
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


def _mark_existing(keys: dict[tuple, Row], model, key_fields: tuple[str, ...]) -> None:
    """Rows whose natural key (first field narrows the query) already exists become updates."""
    if not keys:
        return
    found = model.objects.filter(**{f"{key_fields[0]}__in": {k[0] for k in keys}})
    for *key, pk in found.values_list(*key_fields, "id"):
        row = keys.get(tuple(key))
        if row is not None and not row.errors:
            row.status, row.target = UPDATE, pk


@contextmanager
def _guard(row: Row):
    """One row's writes in a savepoint; a refusal marks the row instead of escaping."""
    try:
        with transaction.atomic():
            yield
    except (ValidationError, PermissionDenied) as exc:
        row.error("(row)", "; ".join(_messages(exc)))


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


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


# ---------------------------------------------------------------- batches behind the admin preview


def preview_summary(parsed: list[Row]) -> dict:
    counts = Counter(r.status for r in parsed)
    return {s: counts[s] for s in (NEW, UPDATE, DUPLICATE, ERROR)}


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
) -> ImportReport:
    """Apply a previewed batch with the person's decisions; a refused batch stays for fixing."""
    if batch.user_id != user.pk or batch.status != ImportBatch.PREVIEW:
        raise PermissionDenied("This import is not waiting for your confirmation.")
    report = import_apply(
        kind=batch.kind,
        rows=batch.rows["rows"],
        headers=batch.rows["headers"],
        actor=user,
        strict=strict,
        decisions=decisions,
        default_decision=None,
    )
    batch.decisions, batch.strict = decisions, strict
    if report.written:
        batch.status = ImportBatch.APPLIED
        batch.rows = {}
    batch.result = report.as_dict()
    batch.save()
    return report


def import_batch_purge(*, older_than: dt.timedelta) -> int:
    """Delete previews nobody confirmed within `older_than`, and applied batches' leftovers."""
    cutoff = timezone.now() - older_than
    deleted, _ = ImportBatch.objects.filter(created_at__lt=cutoff).delete()
    return deleted
