"""The need search's index, in arrays: for each word, the partners holding it and their weights,
so a word every partner holds ("community") costs array arithmetic, not a loop per partner, and
100k partners cost megabytes, not a dict per posting. Pure: no Django."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 85


@dataclass(frozen=True)
class Reason:
    """Why a partner matched: the kind of field and its label in English and Spanish."""

    kind: str
    label: str = ""
    label_es: str = ""


@dataclass(frozen=True)
class Postings:
    """The partners (index positions, ascending) holding one word, each one's best weight for
    it, and every reason it holds the word for: reason_ids[starts[i]:starts[i + 1]]."""

    positions: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    reason_ids: np.ndarray

    def reasons_at(self, position: int) -> np.ndarray:
        i = int(np.searchsorted(self.positions, position))
        if i == len(self.positions) or self.positions[i] != position:
            return self.reason_ids[:0]
        return self.reason_ids[self.starts[i] : self.starts[i + 1]]


@dataclass(frozen=True)
class NeedIndex:
    """Read-only once built. Positions follow the order partners were added in, which is also
    the order equally scored results are listed in."""

    ids: np.ndarray
    postings: dict[str, Postings]
    reasons: tuple[Reason, ...]
    vocabulary: tuple[str, ...]
    # Words without digits, by length: a spelling is only near a word of about its length, and
    # numbers (street numbers, "Local 99") match exactly or not at all.
    spellings: dict[int, list[str]]
    _sorted_ids: np.ndarray = field(repr=False)
    _id_order: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def position_of(self, pk: int) -> int | None:
        i = int(np.searchsorted(self._sorted_ids, pk))
        if i == len(self._sorted_ids) or self._sorted_ids[i] != pk:
            return None
        return int(self._id_order[i])


class NeedIndexBuilder:
    """Collects (word, partner, reason, weight) and freezes them into a NeedIndex."""

    def __init__(self) -> None:
        self._ids: list[int] = []
        self._position: dict[int, int] = {}
        self._reasons: dict[Reason, int] = {}
        # word -> {position: {reason id: weight}}
        self._words: dict[str, dict[int, dict[int, float]]] = {}

    def add(self, word: str, pk: int, reason: Reason, weight: float) -> None:
        position = self._position.get(pk)
        if position is None:
            position = self._position[pk] = len(self._ids)
            self._ids.append(pk)
        reason_id = self._reasons.setdefault(reason, len(self._reasons))
        self._words.setdefault(word, {}).setdefault(position, {})[reason_id] = weight

    def build(self) -> NeedIndex:
        postings = {word: _freeze(held) for word, held in self._words.items()}
        vocabulary = tuple(sorted(postings))
        spellings: dict[int, list[str]] = {}
        for word in vocabulary:
            if not any(c.isdigit() for c in word):
                spellings.setdefault(len(word), []).append(word)
        ids = np.array(self._ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        return NeedIndex(
            ids=ids,
            postings=postings,
            reasons=tuple(self._reasons),
            vocabulary=vocabulary,
            spellings=spellings,
            _sorted_ids=ids[order],
            _id_order=order,
        )


def _freeze(held: dict[int, dict[int, float]]) -> Postings:
    positions = sorted(held)
    counts = [len(held[p]) for p in positions]
    return Postings(
        positions=np.array(positions, dtype=np.int32),
        weights=np.array([max(held[p].values()) for p in positions], dtype=np.float64),
        starts=np.concatenate(([0], np.cumsum(counts))).astype(np.int32),
        reason_ids=np.array([r for p in positions for r in held[p]], dtype=np.int16),
    )


def _near_lengths(length: int) -> range:
    """Lengths a word can have and still score FUZZY_CUTOFF against one of `length`: the
    ratio is at most 1 - |a - b| / (a + b)."""
    bound = FUZZY_CUTOFF / 100
    # Rounded outwards: a length too many costs a little time, one too few a missed word.
    low = int(np.floor(length * bound / (2 - bound)))
    high = int(np.ceil(length * (2 - bound) / bound))
    return range(max(1, low), high + 1)


def similar_words(index: NeedIndex, word: str) -> list[tuple[str, float]]:
    """Vocabulary words close to `word`, with a similarity 0..1: itself, the words it begins
    (4+ letters), near spellings (5+ letters; the best 20)."""
    found = {word: 1.0} if word in index.postings else {}
    if len(word) >= 4:
        # The vocabulary is sorted, so the words it begins sit together right after it.
        vocabulary = index.vocabulary
        for at in range(bisect_right(vocabulary, word), len(vocabulary)):
            if not vocabulary[at].startswith(word):
                break
            found.setdefault(vocabulary[at], 0.9)
    if len(word) >= 5:
        near: list[tuple[str, float]] = []
        for length in _near_lengths(len(word)):
            choices = index.spellings.get(length)
            if choices:
                near += [
                    (candidate, score)
                    for candidate, score, _ in process.extract(
                        word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
                    )
                ]
        # Best first, then in vocabulary order, as one scan of the whole vocabulary lists them.
        for candidate, score in sorted(near, key=lambda hit: (-hit[1], hit[0]))[:20]:
            found.setdefault(candidate, score / 100)
    return list(found.items())
