"""The need search's word lookup finds, for every word, the same vocabulary words as a plain scan:
itself, the longer words it begins, near spellings."""

from __future__ import annotations

import random

import pytest

from crm.selectors.need_search import FUZZY_CUTOFF, NeedIndex, Reason, _similar


def _plain(index: NeedIndex, word: str) -> list[tuple[str, float]]:
    from rapidfuzz import fuzz, process

    found = {word: 1.0} if word in index.postings else {}
    if len(word) >= 4:
        for candidate in index.vocabulary:
            if candidate.startswith(word) and candidate != word:
                found.setdefault(candidate, 0.9)
    if len(word) >= 5:
        for candidate, score, _ in process.extract(
            word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        ):
            found.setdefault(candidate, score / 100)
    return list(found.items())


@pytest.fixture(scope="module")
def index() -> NeedIndex:
    rng = random.Random(7)
    roots = ["food", "foods", "foodbank", "tutor", "tutoring", "health", "healthy", "salud", "arts"]
    index = NeedIndex()
    for pk in range(400):
        word = rng.choice(roots) + rng.choice(["", "s", "ing", "er", str(pk % 7)])
        index.add(word, pk, Reason("description"))
    index.vocabulary = sorted(index.postings)
    return index


@pytest.mark.parametrize(
    "word", ["food", "foo", "tutor", "tutorr", "health", "salu", "art", "arts", "zzzz", "foodb"]
)
def test_lookup_equals_the_plain_scan(index, word):
    assert _similar(index, word) == _plain(index, word)
