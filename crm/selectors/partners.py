"""Partner reads: the live matcher index over the database, and resolving merged records."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Max, QuerySet
from django.utils import timezone

from crm.dedup.index import MatchIndex
from crm.dedup.record import Record
from crm.dedup.score import LIKELY, Match
from crm.models import Partner

_lock = threading.Lock()
_cache: dict[str, object] = {"index": None, "seen_at": None}
# Rows changed this long before the newest change seen are read again, so a transaction that
# commits late is still picked up; re-reading a few recent rows is cheap and idempotent.
RECHECK_WINDOW = dt.timedelta(seconds=60)
RECORD_FIELDS = ("id", "name", "aliases", "website", "ein", "phone", "street", "zip")


def _record(pk, name, aliases, website, ein, phone, street, zip_code) -> Record:
    return Record(
        id=pk,
        name=name,
        aliases=tuple(a for a in (aliases or []) if isinstance(a, str)),
        website=website,
        ein=ein,
        phone=phone,
        street=street,
        zip=zip_code,
    )


def partner_records(queryset: QuerySet[Partner] | None = None) -> list[Record]:
    """Matcher records for live (not merged-away) partners, read in one query."""
    rows = (
        queryset if queryset is not None else Partner.objects.filter(merged_into__isnull=True)
    ).values_list(*RECORD_FIELDS)
    return [_record(*row) for row in rows]


def _apply(index: MatchIndex, rows) -> None:
    for *fields, merged_into_id in rows:
        if merged_into_id is None:
            index.add(_record(*fields))
        elif fields[0] in index:
            index.remove(fields[0])


def partner_index() -> MatchIndex:
    """The matcher index of live partners, kept current by reading only the rows that changed.

    A full build happens once per process (and again if the live count ever disagrees with the
    index, e.g. after a rolled-back transaction), so a check at 100k partners stays cheap.
    """
    live = Partner.objects.filter(merged_into__isnull=True)
    with _lock:
        index = _cache["index"]
        if index is not None:
            changed = Partner.objects.filter(
                updated_at__gte=_cache["seen_at"] - RECHECK_WINDOW
            ).values_list(*RECORD_FIELDS, "merged_into_id")
            _apply(index, changed)
            newest = Partner.objects.aggregate(last=Max("updated_at"))["last"]
            if newest is not None:
                _cache["seen_at"] = max(_cache["seen_at"], newest)
            if live.count() == len(index):
                return index
        newest = Partner.objects.aggregate(last=Max("updated_at"))["last"]
        index = MatchIndex(partner_records())
        _cache["index"], _cache["seen_at"] = index, newest or timezone.now()
        return index


def partner_index_sync(ids) -> None:
    """Bring these partners up to date in the cached index (after a write commits)."""
    with _lock:
        index = _cache["index"]
        if index is not None:
            rows = Partner.objects.filter(pk__in=list(ids)).values_list(
                *RECORD_FIELDS, "merged_into_id"
            )
            _apply(index, rows)


def partner_index_clear() -> None:
    """Forget the cached index (tests that roll back between cases)."""
    with _lock:
        _cache["index"] = None
        _cache["seen_at"] = None


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
