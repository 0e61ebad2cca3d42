"""The need search's array scoring ranks and explains exactly as a plain loop over every posting:
per query word the best weight × similarity of any matching word, summed; name hits set first;
the best MAX_RESULTS, ties in the order partners were added."""

from __future__ import annotations

import random

import pytest

from crm.selectors.need_index import NeedIndex, NeedIndexBuilder, Reason, similar_words
from crm.selectors.need_search import MAX_RESULTS, NAME, WEIGHTS, need_search, words

REASONS = [
    Reason("name"),
    Reason("service", "Food security", "Seguridad alimentaria"),
    Reason("group", "Foster youth", "Jóvenes en hogares temporales"),
    Reason("description"),
]
VOCABULARY = ["food", "foods", "comida", "tutoring", "tutor", "youth", "family", "familias"]


def _plain(index: NeedIndex, added, text, name_hits):
    scores: dict[int, float] = {}
    reasons: dict[int, dict] = {}
    for pk, score in name_hits:
        scores[pk] = 10.0 + score / 100 if score >= 90 else WEIGHTS["name"] * score / 100
        reasons.setdefault(pk, {})[NAME] = None
    for word in dict.fromkeys(words(text)):
        best: dict[int, float] = {}
        for candidate, similarity in similar_words(index, word):
            for pk, reason, weight in added.get(candidate, ()):
                best[pk] = max(best.get(pk, 0.0), weight * similarity)
                reasons.setdefault(pk, {})[reason] = None
        for pk, value in best.items():
            scores[pk] = scores.get(pk, 0.0) + value
    order = {pk: i for i, pk in enumerate(index.ids.tolist())}
    ranked = sorted(scores, key=lambda pk: (-scores[pk], order[pk]))[:MAX_RESULTS]
    return [(pk, list(reasons[pk])) for pk in ranked]


@pytest.mark.parametrize("seed", range(6))
def test_array_scoring_equals_the_plain_loop(seed):
    rng = random.Random(seed)
    builder = NeedIndexBuilder()
    added: dict[str, list] = {}
    partners = rng.sample(range(1, 5000), 900)
    for pk in partners:
        for _ in range(rng.randint(1, 4)):
            word, reason = rng.choice(VOCABULARY), rng.choice(REASONS)
            weight = WEIGHTS[reason.kind]
            if (pk, reason) not in {(p, r) for p, r, _ in added.get(word, ())}:
                builder.add(word, pk, reason, weight)
                added.setdefault(word, []).append((pk, reason, weight))
    index = builder.build()
    for text in ["food", "comida tutoring", "youth family", "fod familia", "nothing here"]:
        hits = [(pk, rng.choice([55.0, 92.0, 100.0])) for pk in rng.sample(partners, 5)]
        got = need_search(text, index=index, name_hits=hits)
        want = _plain(index, added, text, hits)
        assert got == want, text
