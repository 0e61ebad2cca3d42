"""Per-slot columns of the index (primary name form and identifiers) for vectorized checks."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from crm.dedup.score import Profile
from crm.dedup.vocabulary import WEAK_TOKENS

__all__ = ["COLUMNS", "empty_columns", "grown", "row_of"]

# (name, empty value, dtype) for the vectorized prefilter, gate and scan; they describe a
# slot's primary name form, which is its only one unless `several` is set.
COLUMNS = (
    ("several", False, bool),
    ("sorted_norm", "", object),
    ("norm", "", object),
    ("joined", "", object),
    ("acronym", False, bool),
    ("weak", False, bool),
    ("domain", "", object),
    ("ein", "", object),
    ("phone", "", object),
    ("address", "", object),
    ("zip", "", object),
    ("street", False, bool),  # whether the record has a street line at all
)
EMPTY_ROW = tuple(empty for _, empty, _ in COLUMNS)


@lru_cache(maxsize=1 << 16)
def _sorted_words(norm: str) -> str:
    return " ".join(sorted(norm.split()))


def row_of(profile: Profile | None) -> tuple:
    """A slot's values of `COLUMNS`, in their order: its primary name form and identifiers."""
    form = profile.forms[0] if profile and profile.forms else None
    if profile is None or form is None:
        return EMPTY_ROW
    return (
        len(profile.forms) > 1,
        _sorted_words(form.norm),
        form.norm,
        form.joined,
        form.has_acronym,
        not WEAK_TOKENS.isdisjoint(form.token_set),
        profile.domain,
        profile.ein,
        profile.phone,
        profile.address,
        profile.zip,
        profile.address_parts is not None,
    )


def empty_columns(size: int = 1024) -> dict[str, np.ndarray]:
    return {name: np.full(size, empty, dtype=kind) for name, empty, kind in COLUMNS}


def grown(columns: dict[str, np.ndarray], size: int) -> dict[str, np.ndarray]:
    """`columns`, doubled until they hold `size` slots (the same arrays when they do)."""
    while size > len(columns["several"]):
        for name, empty, kind in COLUMNS:
            extra = np.full(len(columns[name]), empty, dtype=kind)
            columns[name] = np.r_[columns[name], extra]
    return columns
