"""The need search's word lookup finds, for every word, the same vocabulary words as a plain scan
of the whole vocabulary: itself, the longer words it begins, near spellings (of words without
digits: numbers match exactly)."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from crm.selectors.need_index import (
    FUZZY_CUTOFF,
    NeedIndex,
    NeedIndexBuilder,
    Reason,
    similar_words,
)


def _plain(index: NeedIndex, word: str) -> list[tuple[str, float]]:
    found = {word: 1.0} if word in index.postings else {}
    if len(word) >= 4:
        for candidate in index.vocabulary:
            if candidate.startswith(word) and candidate != word:
                found.setdefault(candidate, 0.9)
    if len(word) >= 5:
        spellings = [w for w in index.vocabulary if not any(c.isdigit() for c in w)]
        for candidate, score, _ in process.extract(
            word, spellings, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        ):
            found.setdefault(candidate, score / 100)
    return list(found.items())


@pytest.fixture(scope="module")
def index() -> NeedIndex:
    rng = random.Random(7)
    roots = ["food", "foods", "foodbank", "tutor", "tutoring", "health", "healthy", "salud", "arts"]
    suffixes = ["", "s", "ing", "er", "es", "ed", "ers", "ings", "a", "o"]
    builder = NeedIndexBuilder()
    for pk in range(600):
        word = rng.choice(roots) + rng.choice([*suffixes, str(pk % 7)])
        builder.add(word, pk, Reason("description"), 1.0)
    return builder.build()


@pytest.mark.parametrize(
    "word",
    ["food", "foo", "tutor", "tutorr", "health", "salu", "art", "arts", "zzzz", "foodb", "foods"]
    + ["tutorings", "healthyers", "foodbanking", "salud3"],
)
def test_lookup_equals_the_plain_scan(index, word):
    assert similar_words(index, word) == _plain(index, word)


def test_numbers_match_exactly():
    builder = NeedIndexBuilder()
    for pk, word in enumerate(["local99", "local98", "locals"]):
        builder.add(word, pk, Reason("name"), 3.0)
    found = dict(similar_words(builder.build(), "local97"))
    assert "local99" not in found and "local98" not in found
