"""Estimate the model from the records themselves: u from random pairs, m and the prior by EM.

Expectation-maximisation runs over the distinct level patterns of blocked candidate pairs
(a few thousand rows even at 100k records), with u held fixed as in Splink. Pairs that staff
decided (merged, or "not a duplicate") enter as known matches and non-matches.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from crm.dedup.index import MatchIndex
from crm.dedup.levels import ADDRESS, ALIAS, COMPARISONS, NAME, NULL, PHONE, comparison_levels
from crm.dedup.model import EPSILON, MatchModel, default_model
from crm.dedup.record import Record
from crm.dedup.score import Profile

__all__ = [
    "estimate_u",
    "exact_not_below_near",
    "joint_m",
    "joint_u",
    "levels_matrix",
    "run_em",
    "train",
]

Progress = Callable[[str, int, int], None]
PRIOR_STRENGTH = 1000.0  # pseudo-pairs the starting m counts for in each estimate
# EM left free drifts to "half of all candidate pairs are duplicates" on small or clean lists;
# no real list of partners is that duplicated.
MAX_PRIOR = 0.2
MIN_FIELD_PAIRS = 50  # random pairs where both sides have a field, to estimate its u
# Name and alias keep the labelled u. A list that repeats its organizations (a chain on many
# rows, one company typed fifty ways) gives random pairs that are often duplicates, and with the
# name alone the mixture cannot be told apart; term frequencies adjust common names one by one.
LABELLED_U = frozenset({NAME, ALIAS})


def levels_matrix(
    pairs: Sequence[tuple[Profile, Profile]], *, progress: Progress | None = None, step: str = ""
) -> np.ndarray:
    """(n, comparisons) level codes of `pairs`, NULL = -1: the same function scoring uses."""
    out = np.full((len(pairs), len(COMPARISONS)), NULL, dtype=np.int8)
    for i, (a, b) in enumerate(pairs):
        if progress and i % 5000 == 0:
            progress(step, i, len(pairs))
        levels = comparison_levels(a, b)
        if levels is not None:
            out[i] = levels.codes
    if progress:
        progress(step, len(pairs), len(pairs))
    return out


def _frequencies(
    matrix: np.ndarray,
    weights: np.ndarray,
    prior: tuple[tuple[float, ...], ...] | None = None,
    strength: float = PRIOR_STRENGTH,
) -> tuple[tuple[float, ...], ...]:
    """Level shares per comparison. With `prior`, it counts as `strength` pseudo-pairs
    (Dirichlet smoothing), so a level the data never shows keeps its earlier estimate;
    without, half a pair per level keeps every share above zero."""
    rows = []
    for c, comparison in enumerate(COMPARISONS):
        column = matrix[:, c]
        counts = np.array(
            [weights[column == level].sum() for level in range(len(comparison.levels))],
            dtype=float,
        )
        if prior is not None:
            counts += strength * np.asarray(prior[c])
        else:
            counts += 0.5
        rows.append(tuple(np.clip(counts / counts.sum(), EPSILON, 1 - EPSILON).tolist()))
    return tuple(rows)


def estimate_u(matrix: np.ndarray) -> tuple[tuple[float, ...], ...]:
    """u per level: how often random (almost always different) pairs land in it."""
    return _frequencies(matrix, np.ones(len(matrix)))


def joint_u(profiles: Sequence[Profile]) -> float:
    """Exact share of all pairs (both with phone and street address) sharing both: counted
    over the groups of equal (phone, address), not sampled, since such pairs are rare."""
    groups: Counter[tuple[str, str]] = Counter(
        (p.phone, p.address) for p in profiles if p.phone and p.address
    )
    n = sum(groups.values())
    together = sum(k * (k - 1) / 2 for k in groups.values())
    return max(EPSILON, together / max(1.0, n * (n - 1) / 2))


def joint_m(matrix: np.ndarray, weights: np.ndarray) -> float:
    """Share of (weighted) duplicates with phone and address both present that agree on both."""
    both = (matrix[:, PHONE] != NULL) & (matrix[:, ADDRESS] != NULL)
    agree = both & (matrix[:, PHONE] == 0) & (matrix[:, ADDRESS] == 0)
    total = float(weights[both].sum())
    return float(np.clip((weights[agree].sum() + 0.5) / (total + 1.0), EPSILON, 1 - EPSILON))


def exact_not_below_near(
    m: tuple[tuple[float, ...], ...], u: tuple[tuple[float, ...], ...]
) -> tuple[tuple[float, ...], ...]:
    """u with the exact-name level lowered, if need be, so it weighs at least as much as the
    typo level. Equal names are common among unrelated records only for common names (nine
    "Washington Elementary"s), which the term-frequency adjustment handles name by name."""
    name_u = list(u[0])
    floor = m[0][0] * name_u[1] / m[0][1]
    name_u[0] = min(name_u[0], floor)
    return (tuple(name_u), *u[1:])


def run_em(
    matrix: np.ndarray,
    *,
    u: tuple[tuple[float, ...], ...],
    m: tuple[tuple[float, ...], ...],
    prior: float,
    known: np.ndarray | None = None,
    iterations: int = 40,
    fix_m: bool = False,
    fix_prior: bool = False,
    strength: float = PRIOR_STRENGTH,
) -> tuple[tuple[tuple[float, ...], ...], float, float]:
    """(m, prior, joint m of phone and address) by EM over candidate pairs with u fixed.
    `known` holds 1 (match), 0 (non-match) or NaN per row; known rows keep their label
    instead of the posterior."""
    known = np.full(len(matrix), np.nan) if known is None else known
    start_m = m
    # One row per distinct (pattern, label): EM cost no longer depends on the pair count.
    keyed = np.c_[matrix.astype(np.int16), np.nan_to_num(known, nan=2).astype(np.int16)]
    patterns, counts = np.unique(keyed, axis=0, return_counts=True)
    levels, label = patterns[:, :-1], patterns[:, -1]
    counts = counts.astype(float)
    log_u = _log_table(levels, u)
    for _ in range(iterations):
        log_m = _log_table(levels, m)
        odds = np.exp(np.clip(log_m - log_u, -700, 700)) * prior / (1 - prior)
        g = odds / (1 + odds)
        g = np.where(label == 2, g, label.astype(float))
        free = label == 2
        if fix_prior:
            pass
        else:
            prior = float(
                np.clip((g * counts)[free].sum() / max(counts[free].sum(), 1), 1e-6, MAX_PRIOR)
            )
        if not fix_m:
            m = _frequencies(levels, g * counts, start_m, strength)
    return m, prior, joint_m(levels, g * counts)


def _log_table(levels: np.ndarray, table: tuple[tuple[float, ...], ...]) -> np.ndarray:
    out = np.zeros(len(levels))
    for c, row in enumerate(table):
        logs = np.log(np.asarray(row))
        column = levels[:, c]
        present = column != NULL
        out[present] += logs[column[present]]
    return out


def train(
    records: Sequence[Record],
    *,
    decisions: Sequence[tuple[Record, Record, bool]] = (),
    candidate_sample: int = 150_000,
    random_sample: int = 150_000,
    seed: int = 1729,
    progress: Progress | None = None,
    start: MatchModel | None = None,
    em: bool = False,
    index: MatchIndex | None = None,
) -> MatchModel:
    """A model estimated from `records`, refined by staff `decisions` (a, b, is_duplicate).

    u always comes from this data. With `em`, m is re-estimated by EM over the candidate pairs
    (the decisions as known pairs); without, m keeps the labelled estimate and only the
    decided duplicates refine it. `index`, an index of exactly `records`, saves building one
    (a spreadsheet scan trains on the index it then scans)."""
    start = start or default_model()
    rng = np.random.default_rng(seed)
    index = index if index is not None else MatchIndex(records)
    profiles = [index.profile_at(slot) for slot in range(index.slot_count())]
    n = len(profiles)
    if n < 2:
        raise ValueError("training needs at least two records")
    left = rng.integers(0, n, size=random_sample)
    right = rng.integers(0, n, size=random_sample)
    keep = left != right
    random_pairs = [
        (profiles[i], profiles[j]) for i, j in zip(left[keep], right[keep], strict=True)
    ]
    random_levels = levels_matrix(random_pairs, progress=progress, step="random pairs (u)")
    # A field too rare in this data to measure (no aliases, no EINs) keeps its earlier u.
    seen = (random_levels != NULL).sum(axis=0)
    u = tuple(
        row if seen[c] >= MIN_FIELD_PAIRS and c not in LABELLED_U else start.u[c]
        for c, row in enumerate(estimate_u(random_levels))
    )
    # Without EM, unlabelled candidate pairs would not move m: they are not compared at all.
    lo, hi, _strong = index.candidate_pairs(block_cap=64) if em else (np.zeros(0, int),) * 3
    if len(lo) > candidate_sample:
        pick = np.sort(rng.choice(len(lo), size=candidate_sample, replace=False))
        lo, hi = lo[pick], hi[pick]
    candidates = [(profiles[i], profiles[j]) for i, j in zip(lo.tolist(), hi.tolist(), strict=True)]
    decided = [
        (MatchIndex([a]).profile_at(0), MatchIndex([b]).profile_at(0)) for a, b, _ in decisions
    ]
    matrix = levels_matrix(candidates + decided, progress=progress, step="candidate pairs (m)")
    known = np.r_[np.full(len(candidates), np.nan), [1.0 if d else 0.0 for *_, d in decisions]]
    # The prior stays as calibrated on labelled data (the thresholds were chosen with it):
    # left free, EM on a list of one kind of record drifts towards calling half of it twins.
    m, prior, m_joint = run_em(
        matrix, u=u, m=start.m, prior=start.prior, known=known, fix_prior=True
    )
    if not em and not len(matrix):
        m_joint = start.joint_m
    u = exact_not_below_near(m, u)
    return MatchModel(
        m=m,
        u=u,
        prior=prior,
        likely_at=start.likely_at,
        possible_at=start.possible_at,
        typical_word_count=start.typical_word_count,
        joint_m=m_joint,
        joint_u=joint_u(profiles),
        trained_on=n,
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        source="trained",
        notes={
            "candidate_pairs": len(candidates),
            "random_pairs": len(random_pairs),
            "decisions": len(decisions),
        },
    )
