"""Partner references in a file (EIN, website or name) resolved to partners in a few batched
queries; a reference matched only by likeness is returned apart, for the person to confirm."""

from __future__ import annotations

from django.db.models.functions import Lower

from crm.dedup.explain import describe
from crm.dedup.identifiers import normalize_ein, website_domain
from crm.dedup.record import Record
from crm.dedup.score import LIKELY
from crm.imports import cells
from crm.models import Partner, School
from crm.selectors.partners import partner_matches_many
from crm.services.imports.rows import Context, Row


def preload(rows: list[Row], ctx: Context) -> None:
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
    live = Partner.objects.live()
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
