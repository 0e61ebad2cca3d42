"""Blocking: the keys a record is filed under, and the candidate pairs a scan draws from them.

Keys are rare words, 4-letter prefixes, word-pair prefixes, acronyms, core names and identifiers.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz, process

from crm.dedup.normalize import name_forms
from crm.dedup.score import Profile
from crm.dedup.vocabulary import STOPWORDS

__all__ = ["COMMON_TOKENS", "blocking_keys", "block_pairs", "name_words"]

# Words too common to identify anything; they still count inside word-pair keys.
COMMON_TOKENS = frozenset(
    [
        "center",
        "centers",
        "foundation",
        "los",
        "angeles",
        "community",
        "services",
        "service",
        "school",
        "schools",
        "district",
        "county",
        "city",
        "association",
        "health",
        "family",
        "families",
        "youth",
        "church",
        "united",
        "california",
        "southern",
        "national",
        "american",
        "international",
        "club",
        "clubs",
        "program",
        "programs",
        "project",
        "organization",
        "society",
        "institute",
        "council",
        "network",
        "alliance",
        "coalition",
        "group",
        "department",
        "office",
        "education",
        "unified",
        "public",
        "regional",
        "valley",
        "north",
        "south",
        "east",
        "west",
        "san",
        "santa",
        "new",
        "1st",
        "saint",
        "university",
        "college",
        "hospital",
        "medical",
        "clinic",
        "care",
        "inc",
        "and",
        "the",
        "of",
        "for",
        "greater",
        "metropolitan",
        "league",
        "academy",
        "children",
        "childrens",
        "kids",
        "center",
        "arts",
        "art",
        "friends",
        "home",
        "house",
        "help",
        "mission",
        "ministries",
        "ministry",
    ]
)
STRONG_PREFIXES = ("d:", "e:", "ph:", "a:", "ia:", "in:", "c:")
# Blocks up to this many times the block cap compare all pairs whose names are this alike.
GATED_BLOCK_FACTOR = 8
BLOCK_GATE = 68


def blocking_keys(profile: Profile) -> tuple[frozenset[str], frozenset[str]]:
    """(name keys, identifier keys) under which a profile is filed."""
    record = profile.record
    names, by_name = _name_keys(record.name or "", tuple(record.aliases or ()))
    strong = set(by_name)
    if profile.domain:
        strong.add("d:" + profile.domain)
    if profile.ein:
        strong.add("e:" + profile.ein)
    if profile.phone:
        strong.add("ph:" + profile.phone)
    if profile.address:
        strong.add("a:" + profile.address)
    return names, frozenset(strong)


@lru_cache(maxsize=1 << 16)
def _name_keys(name: str, aliases: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(name keys, identifier keys from the name) of a record's name forms. Cached: chains
    repeat one name across hundreds of rows."""
    names: set[str] = set()
    strong: set[str] = set()
    for form in name_forms(name, aliases=aliases):
        words = [t for t in form.tokens if t not in STOPWORDS]
        for word in words:
            if word not in COMMON_TOKENS:
                names.add("t:" + word)
                if len(word) >= 6:
                    names.add("p:" + word[:4])
        heads = [w[:4] for w in words[:5]]
        for a, b in combinations(heads, 2):
            names.add("k:" + (a + "|" + b if a <= b else b + "|" + a))
        # Acronym holders ("ia:") are paired with full names ("in:"), never full with full.
        side = "ia:" if form.has_acronym else "in:"
        for initials in {form.initials, form.initials_all}:
            if len(initials) >= 3:
                strong.add(side + initials)
        strong.add("c:" + " ".join(sorted(form.core.split())))
    return frozenset(names), frozenset(strong)


@lru_cache(maxsize=1 << 16)
def name_words(name: str, aliases: tuple[str, ...]) -> frozenset[str]:
    """Every word of a record's name forms, for typeahead and term frequencies."""
    return frozenset(word for form in name_forms(name, aliases=aliases) for word in form.tokens)


def block_pairs(
    postings: dict[str, set[int]],
    norms: np.ndarray,
    slots: int,
    *,
    block_cap: int,
    only: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left slots, right slots, strong flags) of every pair sharing a usable block among
    `slots` slots filed in `postings` (`norms`: each slot's primary name form).

    Blocks up to `block_cap` give all their pairs; larger name blocks give only neighbours
    in sorted order (sorted-neighbourhood), so no block ever costs more than cap² pairs.
    With `only` (a mask over slots), blocks hold just the slots it marks.
    """
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    flags: list[np.ndarray] = []
    window = max(2, block_cap // 16)
    triu: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for key, filed in postings.items():
        if (len(filed) < 2 and not key.startswith("ia:")) or key.startswith("in:"):
            # Most keys name one record: they pair it with nobody.
            continue
        members = filed if only is None else {m for m in filed if only[m]}
        size = len(members)
        strong = key.startswith(STRONG_PREFIXES)
        if key.startswith("ia:"):
            full = postings.get("in:" + key[3:], set())
            if only is not None:
                full = {m for m in full if only[m]}
            if size * (size + len(full)) > block_cap * block_cap * 4:
                continue
            arr = np.fromiter(members, dtype=np.int64, count=size)
            others = np.fromiter(full, dtype=np.int64, count=len(full))
            a = np.repeat(arr, len(others))
            b = np.tile(others, size)
            if size > 1:
                i, j = np.triu_indices(size, 1)
                a, b = np.r_[a, arr[i]], np.r_[b, arr[j]]
        elif size <= block_cap:
            arr = np.fromiter(members, dtype=np.int64, count=size)
            if size not in triu:
                triu[size] = np.triu_indices(size, 1)
            i, j = triu[size]
            a, b = arr[i], arr[j]
        elif not key.startswith("k:"):
            # Big single-word and identifier blocks add little beyond word-pair blocks.
            continue
        elif size <= block_cap * GATED_BLOCK_FACTOR:
            # Mid-sized blocks (a chain's many spellings): every pair whose names are
            # alike, found by one vectorized comparison, instead of only sorted neighbours.
            arr = np.fromiter(members, dtype=np.int64, count=size)
            names = norms[arr].tolist()
            alike = process.cdist(
                names,
                names,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=BLOCK_GATE,
                dtype=np.uint8,
                workers=-1,
            )
            i, j = np.nonzero(np.triu(alike, 1))
            a, b = arr[i], arr[j]
        else:
            ordered = sorted(members, key=norms.__getitem__)
            arr = np.asarray(ordered, dtype=np.int64)
            parts = [(arr[:-k], arr[k:]) for k in range(1, min(window, size - 1) + 1)]
            a = np.concatenate([p[0] for p in parts])
            b = np.concatenate([p[1] for p in parts])
        if len(a) == 0:
            continue
        left.append(np.minimum(a, b))
        right.append(np.maximum(a, b))
        flags.append(np.full(len(a), strong, dtype=bool))
    if not left:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=bool)
    lo = np.concatenate(left)
    hi = np.concatenate(right)
    strong_flags = np.concatenate(flags)
    # A record whose aliases include its own acronym sits in both halves of an acronym block.
    other = lo != hi
    lo, hi, strong_flags = lo[other], hi[other], strong_flags[other]
    codes = lo * (slots + 1) + hi
    order = np.lexsort((~strong_flags, codes))
    codes, strong_flags = codes[order], strong_flags[order]
    first = np.r_[True, codes[1:] != codes[:-1]]
    codes, strong_flags = codes[first], strong_flags[first]
    width = slots + 1
    return codes // width, codes % width, strong_flags
