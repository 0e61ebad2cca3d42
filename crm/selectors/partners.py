"""Partner reads: the live matcher index over the database, and resolving merged records."""

from __future__ import annotations

import threading

from django.db.models import Count, Max, QuerySet

from crm.dedup.index import MatchIndex
from crm.dedup.record import Record
from crm.dedup.score import LIKELY, Match
from crm.models import Partner

_lock = threading.Lock()
_cache: dict[str, object] = {"stamp": None, "index": None}


def partner_records(queryset: QuerySet[Partner] | None = None) -> list[Record]:
    """Matcher records for live (not merged-away) partners, read in one query."""
    rows = (
        queryset if queryset is not None else Partner.objects.filter(merged_into__isnull=True)
    ).values_list("id", "name", "aliases", "website", "ein", "phone", "street", "zip")
    return [
        Record(
            id=pk,
            name=name,
            aliases=tuple(a for a in (aliases or []) if isinstance(a, str)),
            website=website,
            ein=ein,
            phone=phone,
            street=street,
            zip=zip_code,
        )
        for pk, name, aliases, website, ein, phone, street, zip_code in rows
    ]


def partner_index() -> MatchIndex:
    """The matcher index of live partners, rebuilt only when partners changed since last time."""
    stamp = tuple(
        Partner.objects.filter(merged_into__isnull=True)
        .aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
        .values()
    )
    with _lock:
        if _cache["stamp"] != stamp or _cache["index"] is None:
            _cache["index"] = MatchIndex(partner_records())
            _cache["stamp"] = stamp
        return _cache["index"]  # type: ignore[return-value]


def partner_index_clear() -> None:
    """Forget the cached index (tests that roll back, and writes that must be seen at once)."""
    with _lock:
        _cache["stamp"] = None
        _cache["index"] = None


def partner_matches(
    *,
    name: str,
    aliases: tuple[str, ...] = (),
    website: str = "",
    ein: str = "",
    phone: str = "",
    street: str = "",
    zip: str = "",
    exclude_ids: tuple[int, ...] = (),
    limit: int = 5,
) -> list[Match]:
    """Existing partners that may be the organization described, best first, with reasons."""
    probe = Record(
        id="__probe__",
        name=name,
        aliases=aliases,
        website=website,
        ein=ein,
        phone=phone,
        street=street,
        zip=zip,
    )
    return partner_index().query(probe, limit=limit, exclude_ids=set(exclude_ids))


def likely_duplicates(matches: list[Match]) -> list[Match]:
    return [m for m in matches if m.level == LIKELY]


def partner_suggest(*, text: str, limit: int = 10) -> list[Match]:
    """Typeahead over live partners' names and aliases."""
    return partner_index().suggest(text, limit=limit)


def partner_resolve(partner: Partner) -> Partner:
    """Follow merged_into to the final survivor."""
    seen = set()
    while partner.merged_into_id is not None and partner.pk not in seen:
        seen.add(partner.pk)
        partner = Partner.objects.get(pk=partner.merged_into_id)
    return partner
