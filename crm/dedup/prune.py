"""Exact pruning of candidate pairs before they are judged, in a few vectorized steps.

Each pair gets an upper bound of its weight: identifiers at their level, the name at its best.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from crm.dedup.judge import level_of
from crm.dedup.levels import ADDRESS, ALIAS, DOMAIN, EIN, NAME, PHONE, ZIP
from crm.dedup.model import TF_LIMIT, probability_of

if TYPE_CHECKING:
    from crm.dedup.index import MatchIndex

__all__ = ["reachable", "weight_bounds"]

# Float sums taken in another order may differ in the last bits: the bound keeps a margin.
MARGIN = 1e-6


def _codes(values: np.ndarray) -> np.ndarray:
    """One integer per distinct string, 0 for the empty one: pairs then compare in C."""
    table = {"": 0}
    codes = (table.setdefault(v, len(table)) for v in values.tolist())
    return np.fromiter(codes, dtype=np.int64, count=len(values))


def weight_bounds(index: MatchIndex, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """An upper bound of the total weight `crm.dedup.judge.compare` can give each pair
    (slots lo[i], hi[i]): what it adds before looking frequencies up, with the name or alias
    at its best level. A missing field weighs nothing; present ones weigh their level."""
    model = index.model
    w = model.weights()
    column = index.slot_column
    best_name = max(max(w[NAME]), max(w[ALIAS]))
    bound = np.full(len(lo), model.prior_weight + TF_LIMIT / 4 + best_name)
    same_of: dict[int, np.ndarray] = {}
    for comparison, field, agree, differ in (
        (DOMAIN, "domain", w[DOMAIN][0], w[DOMAIN][1]),
        (EIN, "ein", max(w[EIN][0], w[EIN][1]), w[EIN][2]),
        (PHONE, "phone", max(w[PHONE][0], w[PHONE][1]), w[PHONE][2]),
    ):
        values = _codes(column(field))
        x, y = values[lo], values[hi]
        both = (x != 0) & (y != 0)
        same = both & (x == y)
        same_of[comparison] = same
        bound += np.where(same, agree, np.where(both, differ, 0.0))
    streets = column("street")
    # Both with a street line: the address may agree, or be NULL without a house number.
    streets_both = streets[lo] & streets[hi]
    bound += np.where(streets_both, max(0.0, *w[ADDRESS]), 0.0)
    zips = _codes(column("zip"))
    x, y = zips[lo], zips[hi]
    both = (x != 0) & (y != 0)
    zip_level = np.where(x == y, w[ZIP][0], w[ZIP][1])
    # An agreeing phone or street address silences the ZIP; otherwise it speaks as it is.
    silenced = same_of[PHONE] | streets_both
    bound += np.where(both, np.where(silenced, np.maximum(zip_level, 0.0), zip_level), 0.0)
    joint = max(0.0, model.joint_correction())
    bound += np.where(same_of[PHONE] & streets_both, joint, 0.0)
    return bound + MARGIN


def reachable(index: MatchIndex, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Whether each pair may reach POSSIBLE; a False is sure to be turned down by `compare`."""
    if not len(lo):
        return np.zeros(0, dtype=bool)
    values, inverse = np.unique(weight_bounds(index, lo, hi), return_inverse=True)
    model = index.model
    verdicts = np.array([level_of(probability_of(v), model) is not None for v in values.tolist()])
    return verdicts[inverse.reshape(-1)]
