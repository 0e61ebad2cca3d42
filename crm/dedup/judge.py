"""Score one pair with the model: comparison levels -> signed weights -> probability -> level.

Every reason carries its weight in bits ("same phone +9.1"); the last one gives the total.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from crm.dedup.levels import (
    ADDRESS,
    ALIAS,
    COMPARISONS,
    DOMAIN,
    EIN,
    N_CLOSE,
    N_SAME_WORDS,
    NAME,
    NULL,
    PHONE,
    Levels,
    comparison_levels,
)
from crm.dedup.model import TF_LIMIT, TF_SCALE, MatchModel, default_model, probability_of
from crm.dedup.score import BY_ACRONYM, LIKELY, POSSIBLE, NameVerdict, Profile
from crm.dedup.vocabulary import STOPWORDS

__all__ = [
    "Frequencies",
    "Verdict",
    "compare",
    "explain_levels",
    "level_of",
    "names_decide",
    "signed",
    "verdict_of",
]

MINUS = "\u2212"


# Below this many records, frequencies say more about the sample than about names.
TF_MIN_RECORDS = 1000
# Names that differ only by typos, spacing or order agree on more than their shared words: as
# in Splink, frequencies adjust the levels that agree on a shared value, not the fuzzy ones.
TYPO_LEVELS = frozenset({N_SAME_WORDS, N_CLOSE})


class Frequencies(Protocol):
    """How often values occur among the records being matched (term frequencies)."""

    def __len__(self) -> int: ...

    def records_with_words(self, words: frozenset[str]) -> int: ...

    def names_sharing(self, field: str, value: str, *, also: tuple[str, ...] = ()) -> int: ...

    def names_with_initials(self, initials: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """The model's answer for one pair."""

    score: float  # probability in percent, for lists sorted by it
    level: str | None
    reasons: tuple[str, ...]
    weight: float
    probability: float


def signed(weight: float) -> str:
    """'+9.1' or '−4.3' (a real minus sign)."""
    text = f"{abs(weight):.1f}"
    return ("+" if weight >= 0 else MINUS) + text


def level_of(probability: float, model: MatchModel) -> str | None:
    if probability >= model.likely_at:
        return LIKELY
    if probability >= model.possible_at:
        return POSSIBLE
    return None


def _name_text(verdict: NameVerdict | None, label: str, alias: bool) -> str:
    if verdict is None:
        return label
    text = verdict.reason
    parts = {f.source for f in (verdict.x, verdict.y)}
    if alias:
        other = verdict.x if verdict.x.source == "alias" else verdict.y
        return f"alias '{other.raw}' matches ({text})"
    if "part" in parts:
        part = verdict.x if verdict.x.source == "part" else verdict.y
        return f"'{part.raw}', one part of a compound name, matches ({text})"
    if "dba" in parts:
        other = verdict.x if verdict.x.source == "dba" else verdict.y
        return f"DBA name '{other.raw}' matches ({text})"
    note = verdict.note
    return f"{text}, {note}" if note else text


def _value_text(index: int, level: int, a: Profile) -> str:
    label = COMPARISONS[index].levels[level]
    if index == DOMAIN and level == 0:
        return f"{label} ({a.domain})"
    return label


def _shared_words(verdict: NameVerdict) -> frozenset[str]:
    return frozenset(verdict.x.distinct).intersection(verdict.y.distinct) - STOPWORDS


def _name_frequency(
    verdict: NameVerdict, weight: float, model: MatchModel, stats: Frequencies
) -> tuple[str, float] | None:
    words = _shared_words(verdict)
    if weight <= 0 or not words:
        return None
    seen = stats.records_with_words(words)
    # The pair itself accounts for up to two of them.
    others = max(0, seen - 2)
    adjust = TF_SCALE * (math.log2(1 + model.typical_word_count) - math.log2(1 + others))
    adjust = max(-TF_LIMIT, min(TF_LIMIT / 4, adjust))
    if abs(adjust) < 0.05:
        return None
    return partial(_frequency_text, words, seen, others, adjust < 0), adjust


def _frequency_text(words: frozenset[str], seen: int, others: int, common: bool) -> str:
    shown = "'" + " ".join(sorted(words)) + "'"
    if common:
        return f"common name ({shown} seen {seen} times)"
    return f"rare name ({shown} seen {'only here' if others == 0 else f'{seen} times'})"


def _acronym_frequency(
    verdict: NameVerdict, weight: float, stats: Frequencies
) -> tuple[str, float] | None:
    short = min((verdict.x, verdict.y), key=lambda f: len(f.tokens))
    names = stats.names_with_initials(short.joined)
    if names < 2 or weight <= 0:
        return None
    # Initials that k names spell point at any of them: worth 1/k of the acronym's weight.
    return f"initials '{short.joined.upper()}' fit {names} names", -weight * (1.0 - 1.0 / names)


_SHARED_FIELDS = {
    DOMAIN: ("domain", "website domain"),
    EIN: ("ein", "EIN"),
    PHONE: ("phone", "phone"),
}


def _value_frequency(
    index: int, weight: float, a: Profile, b: Profile, stats: Frequencies
) -> tuple[str, float] | None:
    field, label = _SHARED_FIELDS[index]
    pair_names = tuple(p.forms[0].norm for p in (a, b) if p.forms)
    names = stats.names_sharing(field, getattr(a, field), also=pair_names)
    if names < 3 or weight <= 0:
        return None
    # A value used by k different names is worth 1/(k-1) of its weight: a fiscal sponsor's
    # EIN, a district switchboard, a university's domain.
    adjust = -weight * (1.0 - 1.0 / (names - 1))
    return f"{label} shared by {names} different names", adjust


Text = str | Callable[[], str]


def names_decide(levels: Levels) -> bool:
    """Whether the verdict on a pair follows from its levels and names alone: no website,
    EIN or phone is shared, so no reason quotes a value or counts the names sharing it."""
    codes = levels.codes
    return codes[DOMAIN] != 0 and codes[EIN] != 0 and codes[PHONE] != 0


def explain_levels(
    a: Profile, b: Profile, levels: Levels, model: MatchModel, stats: Frequencies | None
) -> tuple[list[tuple[Text, float]], float]:
    """(reason, weight) for every comparison that speaks, and the total weight with the prior.
    Costly reasons come as callables, worded only for the pairs that are shown."""
    parts: list[tuple[Text, float]] = []
    for index, level in enumerate(levels.codes):
        if level == NULL:
            continue
        weight = model.weight(index, level)
        label = COMPARISONS[index].levels[level]
        if index == NAME:
            parts.append((partial(_name_text, levels.name, label, False), weight))
            verdict = levels.name
            if stats is not None and verdict is not None:
                if verdict.path == BY_ACRONYM:
                    extra = _acronym_frequency(verdict, weight, stats)
                elif len(stats) >= TF_MIN_RECORDS and level not in TYPO_LEVELS:
                    extra = _name_frequency(verdict, weight, model, stats)
                else:
                    extra = None
                if extra:
                    parts.append(extra)
        elif index == ALIAS:
            parts.append((partial(_name_text, levels.alias, label, True), weight))
        else:
            parts.append((_value_text(index, level, a), weight))
            if stats is not None and index in _SHARED_FIELDS and level == 0:
                extra = _value_frequency(index, weight, a, b, stats)
                if extra:
                    parts.append(extra)
    if levels.codes[PHONE] == 0 and levels.codes[ADDRESS] == 0:
        parts.append(
            (
                "phone and street address agree together, as at any one site",
                model.joint_correction(),
            )
        )
    total = model.prior_weight + sum(w for _, w in parts)
    return parts, total


# (model, {level codes: whether they can reach POSSIBLE}) for the model last used: a search or
# a scan meets a few hundred distinct level patterns over millions of pairs.
_reach_memo: tuple[MatchModel | None, dict[tuple[int, ...], bool]] = (None, {})


def _can_reach(codes: tuple[int, ...], model: MatchModel) -> bool:
    """Whether a pair with these levels can reach POSSIBLE. Frequencies only take weight
    away, bar a small bonus for rare names, so a pair whose level weights cannot reach it is
    dropped before they are looked up."""
    global _reach_memo
    owner, memo = _reach_memo
    if owner is not model:
        memo = {}
        _reach_memo = (model, memo)
    known = memo.get(codes)
    if known is None:
        bound = model.prior_weight + TF_LIMIT / 4
        bound += sum(model.weight(i, level) for i, level in enumerate(codes))
        if codes[PHONE] == 0 and codes[ADDRESS] == 0:
            bound += model.joint_correction()
        known = memo[codes] = level_of(probability_of(bound), model) is not None
    return known


def compare(
    a: Profile,
    b: Profile,
    *,
    model: MatchModel | None = None,
    stats: Frequencies | None = None,
    floor: str | None = POSSIBLE,
) -> Verdict | None:
    """The model's verdict on `a` and `b`; None when it is below `floor` (None keeps all)."""
    levels = comparison_levels(a, b, quick=floor is not None)
    if levels is None:
        return None
    return verdict_of(a, b, levels, model=model or default_model(), stats=stats, floor=floor)


def verdict_of(
    a: Profile,
    b: Profile,
    levels: Levels,
    *,
    model: MatchModel,
    stats: Frequencies | None,
    floor: str | None = POSSIBLE,
) -> Verdict | None:
    """`compare` once the comparison levels of `a` and `b` are known."""
    if floor is not None and not _can_reach(levels.codes, model):
        return None
    parts, total = explain_levels(a, b, levels, model, stats)
    probability = probability_of(total)
    level = level_of(probability, model)
    if floor is not None and level is None:
        return None
    reasons = [f"{text() if callable(text) else text} {signed(weight)}" for text, weight in parts]
    shown = "over 99.9%" if probability > 0.999 else f"{probability:.1%}"
    reasons.append(f"total {signed(total)} (probability {shown})")
    return Verdict(
        round(100.0 * probability, 1), level, tuple(reasons), round(total, 2), probability
    )
