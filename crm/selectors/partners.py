"""Partner reads: duplicate candidates and typeahead over the live matcher index, and resolving
merged records. The index itself, held per process, lives in crm.selectors.matcher_index."""

from __future__ import annotations

from django.conf import settings

from crm.dedup.record import Record
from crm.dedup.score import LIKELY, Match
from crm.models import Partner
from crm.selectors.matcher_index import (
    RECORD_FIELDS,
    partner_index,
    partner_index_clear,
    partner_index_ready,
    partner_index_sync,
    partner_index_warm,
    partner_record,
    partner_records,
)

# Re-exported: the services and faces that check duplicates import them from here.
__all__ = [
    "RECORD_FIELDS",
    "likely_duplicates",
    "partner_index",
    "partner_index_clear",
    "partner_index_ready",
    "partner_index_sync",
    "partner_index_warm",
    "partner_matches",
    "partner_matches_many",
    "partner_record",
    "partner_records",
    "partner_resolve",
    "partner_suggest",
]


def partner_matches_many(records: list[Record], *, limit: int = 3) -> list[list[Match]]:
    """Candidate duplicates among live partners for each record: one batch, split over
    `settings.MATCH_WORKERS` processes when it is large."""
    return partner_index().query_many(records, limit=limit, workers=settings.MATCH_WORKERS)


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
