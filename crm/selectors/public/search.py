"""Search over published partners only, so it never reveals a hidden name: the name matcher and
the need index, built together once per process and rebuilt when a published partner changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max

from crm.data_version import KeptAtPartnersVersion, partners_version_or_none
from crm.dedup.index import MatchIndex
from crm.selectors.figures import published_partners
from crm.selectors.matcher_index import partner_records
from crm.selectors.need_index import NeedIndex, Reason
from crm.selectors.need_search import need_index_build, need_search
from crm.selectors.process_cache import StampedCache

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class PublishedSearch:
    names: MatchIndex
    needs: NeedIndex


_search: StampedCache[PublishedSearch] = StampedCache()
_stamp = KeptAtPartnersVersion()


def published_stamp() -> tuple:
    """Changes whenever a partner is published, unpublished, edited or added.

    Read again only once the partners version has moved on (or after KEEP_SECONDS), not per
    search: the count and maxima scan every published partner (26 ms at 100k on PostgreSQL).
    Never kept from inside a transaction, whose writes may yet roll back.
    """
    version = partners_version_or_none()
    stamp = _stamp.get(version)
    if stamp is None:
        stamp = tuple(
            published_partners()
            .aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
            .values()
        )
        _stamp.keep(version, stamp)
    return stamp


def _build() -> PublishedSearch:
    return PublishedSearch(
        names=MatchIndex(partner_records(published_partners())), needs=need_index_build()
    )


def public_search_warm() -> None:
    """Build the search now, at server start: with a preloading server the workers share it
    instead of each building its own on its first visitor's search (seconds at 100k)."""
    _search.get(published_stamp(), _build)


def public_partner_index_clear() -> None:
    """Forget this process's search indexes (tests that roll back between cases)."""
    _search.clear()
    _stamp.clear()


def public_search(text: str) -> list[tuple[int, list[Reason]]]:
    """Published partner ids matching `text`, best first, each with why it matched: names with
    the matcher's normalisation and typo tolerance ("boys and girls" finds "Boys & Girls Club"),
    then services, focus groups and descriptions in either language."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    search = _search.get(published_stamp(), _build)
    names = search.names.suggest(text, limit=SEARCH_LIMIT)
    return need_search(text, index=search.needs, name_hits=[(int(m.id), m.score) for m in names])


def public_need_ids(text: str) -> list[int]:
    """Published partner ids whose services, focus groups or descriptions match `text`, best
    first (the directory's search by need, without its name matches)."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    search = _search.get(published_stamp(), _build)
    return [pk for pk, _ in need_search(text, index=search.needs)]
