"""The Fellegi-Sunter parameters: m and u per comparison level, the prior, the thresholds.

A model is plain data (`to_dict`/`from_dict`) so the database can store and version it; the
shipped default (`default_model.json`) was estimated from the labelled development sets.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from crm.dedup.levels import ADDRESS, COMPARISONS, NULL, PHONE

__all__ = ["DEFAULT_PATH", "MatchModel", "default_model", "probability_of"]

DEFAULT_PATH = Path(__file__).with_name("default_model.json")
# Probabilities are kept off 0 and 1 so every weight stays finite.
EPSILON = 1e-6
# How strongly a name's word frequency moves its weight, and how far (bits).
TF_SCALE = 0.5
TF_LIMIT = 4.0


def _clip(p: float) -> float:
    return min(1.0 - EPSILON, max(EPSILON, float(p)))


def probability_of(weight: float) -> float:
    """Match probability for a total weight in bits (prior included)."""
    return 1.0 / (1.0 + 2.0 ** (-weight)) if weight > -1000 else 0.0


@dataclass(frozen=True)
class MatchModel:
    """m[c][l] and u[c][l] for comparison c, level l; prior = share of duplicates among the
    candidate pairs the index retrieves; a pair is LIKELY from `likely_at` and POSSIBLE from
    `possible_at` (probabilities)."""

    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    prior: float
    likely_at: float = 0.9
    possible_at: float = 0.5
    # Usual number of records sharing a name's rarest word: names sharing a rarer word gain,
    # names sharing a commoner one lose (term frequency).
    typical_word_count: float = 2.0
    # m and u of "same phone and same street address" together: at one site both agree at
    # once, so their separate weights would count the same evidence twice.
    joint_m: float = 0.5
    joint_u: float = 1e-5
    trained_on: int = 0
    trained_at: str = ""
    source: str = "default"
    notes: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        shapes = [len(c.levels) for c in COMPARISONS]
        if [len(x) for x in self.m] != shapes or [len(x) for x in self.u] != shapes:
            raise ValueError("model levels do not match the comparisons")
        # Computed once: every scored pair reads them.
        object.__setattr__(self, "_table", _weights_cached(self.m, self.u))

    @property
    def prior_weight(self) -> float:
        p = _clip(self.prior)
        return math.log2(p / (1.0 - p))

    def weight(self, comparison: int, level: int) -> float:
        """log2(m/u) of one level; 0 for NULL (a missing field says nothing)."""
        if level == NULL:
            return 0.0
        return _weights(self)[comparison][level]

    def weights(self) -> tuple[tuple[float, ...], ...]:
        return _weights(self)

    def joint_correction(self) -> float:
        """Bits to add when phone and street address both agree (usually negative)."""
        joint = math.log2(_clip(self.joint_m) / _clip(self.joint_u))
        return joint - self.weight(PHONE, 0) - self.weight(ADDRESS, 0)

    def with_thresholds(self, *, likely_at: float, possible_at: float) -> MatchModel:
        if not 0.0 < possible_at <= likely_at < 1.0:
            raise ValueError("thresholds must satisfy 0 < possible_at <= likely_at < 1")
        return replace(self, likely_at=likely_at, possible_at=possible_at)

    def to_dict(self) -> dict:
        return {
            "comparisons": [
                {
                    "key": c.key,
                    "levels": [
                        {"label": label, "m": self.m[i][j], "u": self.u[i][j]}
                        for j, label in enumerate(c.levels)
                    ],
                }
                for i, c in enumerate(COMPARISONS)
            ],
            "prior": self.prior,
            "likely_at": self.likely_at,
            "possible_at": self.possible_at,
            "typical_word_count": self.typical_word_count,
            "joint_m": self.joint_m,
            "joint_u": self.joint_u,
            "trained_on": self.trained_on,
            "trained_at": self.trained_at,
            "source": self.source,
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict) -> MatchModel:
        """A model from `to_dict` output; comparisons are matched by key and level label, so
        a level added since the data was saved keeps the default's parameters."""
        base = default_model() if data.get("source") != "default" else None
        by_key = {c["key"]: c for c in data.get("comparisons", [])}
        m, u = [], []
        for i, comparison in enumerate(COMPARISONS):
            saved = {lv["label"]: lv for lv in by_key.get(comparison.key, {}).get("levels", [])}
            row_m, row_u = [], []
            for j, label in enumerate(comparison.levels):
                if label in saved:
                    row_m.append(_clip(saved[label]["m"]))
                    row_u.append(_clip(saved[label]["u"]))
                elif base is not None:
                    row_m.append(base.m[i][j])
                    row_u.append(base.u[i][j])
                else:
                    # A level new to this data says nothing until it is estimated.
                    row_m.append(1e-3)
                    row_u.append(1e-3)
            m.append(tuple(row_m))
            u.append(tuple(row_u))
        return cls(
            m=tuple(m),
            u=tuple(u),
            prior=_clip(data["prior"]),
            likely_at=float(data.get("likely_at", 0.9)),
            possible_at=float(data.get("possible_at", 0.5)),
            typical_word_count=float(data.get("typical_word_count", 2.0)),
            joint_m=_clip(data.get("joint_m", base.joint_m if base else 0.5)),
            joint_u=_clip(data.get("joint_u", base.joint_u if base else 1e-5)),
            trained_on=int(data.get("trained_on", 0)),
            trained_at=str(data.get("trained_at", "")),
            source=str(data.get("source", "")),
            notes=dict(data.get("notes", {})),
        )


@cache
def _weights_cached(m: tuple, u: tuple) -> tuple[tuple[float, ...], ...]:
    return tuple(
        tuple(math.log2(_clip(mi) / _clip(ui)) for mi, ui in zip(mr, ur, strict=True))
        for mr, ur in zip(m, u, strict=True)
    )


def _weights(model: MatchModel) -> tuple[tuple[float, ...], ...]:
    return model._table  # type: ignore[attr-defined]


@cache
def default_model() -> MatchModel:
    """The shipped parameters, estimated from the labelled development sets."""
    return MatchModel.from_dict(json.loads(DEFAULT_PATH.read_text(encoding="utf-8")))
