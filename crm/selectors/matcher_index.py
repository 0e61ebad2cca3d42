"""The matcher index of live partners that each process holds in memory: built once, then kept
current by re-reading only the partners that changed since the last look."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError
from django.db.models import Max, QuerySet
from django.utils import timezone

from crm.data_version import KeptAtPartnersVersion, partners_version_or_none
from crm.dedup.index import MatchIndex
from crm.dedup.record import Record
from crm.models import Partner
from crm.selectors.matcher import current_matcher_model, matcher_model_clear

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, object] = {"index": None, "seen_at": None, "checked_at": None, "applied": {}}
# True once the live count has matched the index at the current partners version.
_counted = KeptAtPartnersVersion()
# Rows changed this long before the newest change seen (or the last look, if later) are looked
# at again, so a transaction that commits late is still picked up; rows already applied at that
# version are skipped. A transaction is assumed to commit within this window.
RECHECK_WINDOW = dt.timedelta(seconds=30)
CHUNK = 5000
# From this many partners on, a full build is _settled (see there).
SETTLE_AT = 20_000
RECORD_FIELDS = ("id", "name", "aliases", "website", "ein", "phone", "street", "zip")


def partner_record(pk, name, aliases, website, ein, phone, street, zip_code) -> Record:
    """The matcher's record of one partner, from a row of RECORD_FIELDS."""
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
    rows = (queryset if queryset is not None else Partner.objects.live()).values_list(
        *RECORD_FIELDS
    )
    return [partner_record(*row) for row in rows]


def _apply(index: MatchIndex, ids: list[int]) -> None:
    """Re-read these partners and file the live ones, dropping the merged-away."""
    applied: dict = _cache["applied"]  # type: ignore[assignment]
    for start in range(0, len(ids), CHUNK):
        rows = Partner.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
            *RECORD_FIELDS, "merged_into_id", "updated_at"
        )
        for *fields, merged_into_id, updated_at in rows:
            applied[fields[0]] = updated_at
            if merged_into_id is None:
                index.add(partner_record(*fields))
            elif fields[0] in index:
                index.remove(fields[0])


def _catch_up(index: MatchIndex) -> None:
    started = timezone.now()
    # Anchored at the newest change seen or at the last look, whichever is later: a row still
    # uncommitted at the last look was saved less than RECHECK_WINDOW before it. Anchored at the
    # newest change alone, every check re-read all rows of a bulk import until the next write.
    since = max(_cache["seen_at"], _cache["checked_at"]) - RECHECK_WINDOW
    applied: dict = _cache["applied"]  # type: ignore[assignment]
    recent = _changed_since(since)
    _apply(index, [pk for pk, at in recent if applied.get(pk) != at])
    _note_look(max([_cache["seen_at"], *(at for _, at in recent)]), started, applied.items())


def _note_look(
    newest: dt.datetime, started: dt.datetime, saved: Iterable[tuple[int, dt.datetime]]
) -> None:
    """Remember a look at the database (a build or a catch-up) that began at `started` and saw
    changes up to `newest`, keeping of `saved` (id, updated_at) pairs only those the next look
    can still meet in its window."""
    _cache["seen_at"], _cache["checked_at"] = newest, started
    floor = max(newest, started) - RECHECK_WINDOW
    _cache["applied"] = {pk: at for pk, at in saved if at >= floor}


def _changed_since(since: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(id, updated_at) of every partner saved at or after `since`."""
    return list(Partner.objects.filter(updated_at__gte=since).values_list("id", "updated_at"))


@contextmanager
def _settled(size: int) -> Iterator[None]:
    """Build a large index with the cyclic garbage collector paused, then freeze what was built.

    A large index is millions of long-lived objects, none in reference cycles (reference
    counting still frees them when the index is replaced). Collections during the build walk
    them over and over (a quarter of the build's time at 100k), and every full collection
    afterwards walks them again, adding a second or more to a large import.
    """
    if size < SETTLE_AT or not gc.isenabled():
        yield
        return
    gc.collect()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        gc.enable()


def partner_index() -> MatchIndex:
    """The matcher index of live partners, kept current by reading only the rows that changed.

    A full build happens once per process (and again if the live count ever disagrees with the
    index, e.g. after a rolled-back transaction), so a check at 100k partners stays cheap. The
    count (24 ms at 100k on PostgreSQL) is taken again only once the partners version has moved
    on (a rolled-back write moved it when it wrote) or after KEEP_SECONDS; a count taken inside
    a transaction is not kept.
    """
    live = Partner.objects.live()
    model = current_matcher_model()
    version = partners_version_or_none()
    with _lock:
        index = _cache["index"]
        if index is not None:
            # A newly trained model applies at once; the records do not depend on it.
            index.model = model
            _catch_up(index)
            if _counted.get(version):
                return index
            if live.count() == len(index):
                _counted.keep(version, True)
                return index
        started = timezone.now()
        newest = Partner.objects.aggregate(last=Max("updated_at"))["last"] or started
        rows = list(live.values_list(*RECORD_FIELDS, "updated_at"))
        with _settled(len(rows)):
            index = MatchIndex((partner_record(*row[:-1]) for row in rows), model=model)
        _cache["index"] = index
        _counted.clear()
        _note_look(newest, started, ((row[0], row[-1]) for row in rows))
        return index


def partner_index_held() -> MatchIndex | None:
    """The index this process holds, as it is, without a look at the database (or None)."""
    return _cache["index"]  # type: ignore[return-value]


def partner_index_warm() -> bool:
    """Build the index now, at server start, so the first duplicate check (a Slack command
    that must answer in 3 s, an import preview) does not pay for it. A database that cannot be
    read yet is logged, not raised: the index is then built on first use."""
    try:
        partner_index()
    except DatabaseError as err:
        logger.warning("The matcher index was not built at start: %s", err)
        return False
    return True


def partner_index_sync(ids) -> None:
    """Bring these partners up to date in the cached index (after a write commits)."""
    with _lock:
        index = _cache["index"]
        if index is not None:
            _apply(index, list(ids))


def partner_index_clear() -> None:
    """Forget the cached index and model (tests that roll back between cases)."""
    matcher_model_clear()
    with _lock:
        _cache["index"] = None
        _cache["seen_at"] = None
        _cache["checked_at"] = None
        _cache["applied"] = {}
        _counted.clear()


def partner_index_ready() -> bool:
    """Whether this process has built its matcher index (the readiness check asks)."""
    return _cache["index"] is not None
