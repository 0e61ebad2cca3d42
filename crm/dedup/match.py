"""Find duplicates: one record against an index (`match_one`) or all pairs inside it (`scan`).

Scans score blocked candidate pairs with one vectorized rapidfuzz call, never an N x N matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from crm.dedup.index import MatchIndex
from crm.dedup.judge import Verdict, names_decide, verdict_of
from crm.dedup.levels import NamesMemo, comparison_levels
from crm.dedup.prune import reachable
from crm.dedup.record import Record
from crm.dedup.score import LIKELY, POSSIBLE, Match, Pair, Profile
from crm.dedup.vocabulary import STOPWORDS

__all__ = ["BLOCK_CAP", "LIKELY", "POSSIBLE", "Match", "Pair", "match_one", "scan"]

BLOCK_CAP = 64  # blocks larger than this only compare sorted neighbours
EXPAND_CAP = 50_000  # record pairs one verdict may stand for before they become a star
# Without a shared identifier, acronym or core name, a pair needs this much name likeness to
# reach POSSIBLE at all (the caps only lower scores), so cheaper pairs are dropped early.
SCAN_PREFILTER_AT = 68.0
_PROGRESS_EVERY = 2000


@lru_cache(maxsize=1 << 16)
def _content_words(norm: str) -> str:
    """A name's words less stopwords, sorted (cached: chains repeat one name many times)."""
    return " ".join(sorted(set(norm.split()) - STOPWORDS))


def _prefilter(
    index: MatchIndex, lo: np.ndarray, hi: np.ndarray, strong: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Drop name-only pairs that cannot reach POSSIBLE, using vectorized rapidfuzz calls.

    Such a pair needs its names alike (ratio or token_sort >= SCAN_PREFILTER_AT) and either a
    few typos apart once words are sorted, or one name's words containing the other's: two
    names that each have a word the other lacks are capped below POSSIBLE by the scorer.
    """
    slots = index.slot_count()
    multi = index.slot_column("several")
    by_name = ~(strong | multi[lo] | multi[hi])
    if not by_name.any():
        return lo, hi
    norms = index.slot_column("norm")
    words = np.array([_content_words(n) for n in norms.tolist()], dtype=object)
    lengths = np.fromiter(map(len, norms.tolist()), dtype=np.int64, count=slots)
    pick = np.flatnonzero(by_name)
    a, b = lo[pick], hi[pick]
    # Cheapest test first on every pair, dearer ones only on what survives.
    allowed = 2 + np.minimum(lengths[a], lengths[b]) // 8
    edits = process.cpdist(
        words[a].tolist(),
        words[b].tolist(),
        scorer=Levenshtein.distance,
        workers=-1,
        score_cutoff=int(allowed.max()) + 1,
    )
    near = edits <= allowed
    # Containment needs one side to have more words: equal counts would mean equal words,
    # which the edit test above already let through.
    counts = np.fromiter((len(w.split()) for w in words.tolist()), dtype=np.int64, count=slots)
    rest = np.flatnonzero(~near & (counts[a] != counts[b]))
    subset = np.zeros(len(pick), dtype=bool)
    subset[rest] = (
        process.cpdist(
            words[a[rest]].tolist(),
            words[b[rest]].tolist(),
            scorer=fuzz.token_set_ratio,
            workers=-1,
            dtype=np.uint8,
        )
        == 100
    )
    maybe = np.flatnonzero(near | subset)
    left, right = norms[a[maybe]].tolist(), norms[b[maybe]].tolist()
    alike = np.maximum(
        process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=-1),
        process.cpdist(left, right, scorer=fuzz.ratio, workers=-1),
    )
    chosen = np.zeros(len(pick), dtype=bool)
    chosen[maybe[alike >= SCAN_PREFILTER_AT]] = True
    keep = ~by_name
    keep[pick[chosen]] = True
    return lo[keep], hi[keep]


def match_one(index: MatchIndex, record: Record, *, limit: int = 5) -> list[Match]:
    """Same as `index.query(record, limit=limit)`."""
    return index.query(record, limit=limit)


def _profile_key(profile: Profile) -> tuple:
    """What the scorer reads of a record, reasons included (they quote the name as typed):
    two records with one key get one verdict."""
    return (
        profile.record.name,
        tuple(profile.record.aliases or ()),
        profile.domain,
        profile.ein,
        profile.phone,
        profile.phone_parts,
        profile.address,
        profile.address_parts,
        profile.zip,
        profile.sponsored,
    )


def _identical_groups(index: MatchIndex) -> dict[int, list[int]]:
    """Slots grouped by profile key, keyed by each group's first slot (its representative)."""
    groups: dict[tuple, list[int]] = {}
    for slot in range(index.slot_count()):
        profile = index.profile_at(slot)
        if profile is not None:
            groups.setdefault(_profile_key(profile), []).append(slot)
    return {members[0]: members for members in groups.values()}


def _spread(left: list[int], right: list[int] | None) -> list[tuple[int, int]]:
    """The record pairs one verdict stands for: all of them while there are at most
    EXPAND_CAP, else each record against the other group's representative (a star, which
    clusters still join)."""
    if right is None:
        if len(left) * (len(left) - 1) // 2 <= EXPAND_CAP:
            return [(a, b) for i, a in enumerate(left) for b in left[i + 1 :]]
        return [(left[0], b) for b in left[1:]]
    if len(left) * len(right) <= EXPAND_CAP:
        return [(a, b) for a in left for b in right]
    return [(left[0], b) for b in right] + [(a, right[0]) for a in left[1:]]


def _judge(
    first: Profile,
    second: Profile,
    index: MatchIndex,
    verdicts: dict[tuple, Verdict | None],
    names: NamesMemo,
) -> Verdict | None:
    """`compare` within one scan, where a chain's name meets the same other names on many
    rows: name levels are remembered, and pairs whose verdict follows from their names and
    levels alone are judged once."""
    levels = comparison_levels(first, second, quick=True, memo=names)
    if levels is None:
        return None
    if not names_decide(levels):
        return verdict_of(first, second, levels, model=index.model, stats=index)
    key = (levels.names_key, levels.codes)
    if key not in verdicts:
        verdicts[key] = verdict_of(first, second, levels, model=index.model, stats=index)
    return verdicts[key]


def scan(
    index: MatchIndex,
    *,
    progress: Callable[[int, int], None] | None = None,
    block_cap: int = BLOCK_CAP,
) -> list[Pair]:
    """Every candidate duplicate pair inside `index`, best first.

    Records that read the same to the scorer (a chain's name on many rows) are blocked and
    scored once, and the verdict is given to each of their pairs.
    """
    groups = _identical_groups(index)
    only = np.zeros(index.slot_count(), dtype=bool)
    only[list(groups)] = True
    lo, hi, strong = index.candidate_pairs(block_cap=block_cap, only=only)
    keep = reachable(index, lo, hi)
    lo, hi, strong = lo[keep], hi[keep], strong[keep]
    if len(lo):
        lo, hi = _prefilter(index, lo, hi, strong)
    work = [(rep, None) for rep, members in groups.items() if len(members) > 1]
    work += list(zip(lo.tolist(), hi.tolist(), strict=True))
    total = len(work)
    verdicts: dict[tuple, Verdict | None] = {}
    names: NamesMemo = {}
    pairs: list[tuple[float, int, int, Pair]] = []
    for done, (left, right) in enumerate(work):
        if progress and done % _PROGRESS_EVERY == 0:
            progress(done, total)
        first = index.profile_at(left)
        second = index.profile_at(groups[left][1] if right is None else right)
        verdict = _judge(first, second, index, verdicts, names)
        if not verdict:
            continue
        for a, b in _spread(groups[left], None if right is None else groups[right]):
            pair = Pair(
                index.profile_at(a).record.id,
                index.profile_at(b).record.id,
                verdict.score,
                verdict.level,
                verdict.reasons,
                verdict.weight,
                verdict.probability,
            )
            pairs.append((-verdict.weight, a, b, pair))
    if progress:
        progress(total, total)
    pairs.sort(key=lambda item: item[:3])
    return [p for *_, p in pairs]
