"""Explainable duplicate detection for partner organizations (pure Python, no Django).

See `MatchIndex` for queries and typeahead, `scan` for whole-index pair finding.
"""

from crm.dedup.explain import describe
from crm.dedup.identifiers import (
    digits_only,
    normalize_ein,
    normalize_phone,
    normalize_street,
    normalize_zip,
    website_domain,
)
from crm.dedup.index import MatchIndex, Record
from crm.dedup.match import LIKELY, POSSIBLE, Match, Pair, match_one, scan
from crm.dedup.normalize import acronym_of, normalize_name, tokens

__all__ = [
    "LIKELY",
    "POSSIBLE",
    "Match",
    "MatchIndex",
    "Pair",
    "Record",
    "acronym_of",
    "describe",
    "digits_only",
    "match_one",
    "normalize_ein",
    "normalize_name",
    "normalize_phone",
    "normalize_street",
    "normalize_zip",
    "scan",
    "tokens",
    "website_domain",
]
