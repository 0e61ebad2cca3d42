"""Typeahead over the index's names and aliases: word prefixes first, then typos."""

from __future__ import annotations

import bisect
import re

import numpy as np
from rapidfuzz import fuzz, process

from crm.dedup.normalize import _fold
from crm.dedup.score import LIKELY, POSSIBLE, Match, Profile
from crm.dedup.vocabulary import ABBREVIATIONS, NUMBER_WORDS, STOPWORDS

__all__ = ["Typeahead"]


def _suggest_words(text: str) -> list[str]:
    text = _fold(text).lower().replace("'", "").replace("&", " and ").replace("+", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    out = []
    for i, word in enumerate(words):
        if i + 1 < len(words):
            # Only complete words are expanded; the last one may still be half typed.
            word = NUMBER_WORDS.get(word, ABBREVIATIONS.get(word, word))
        out.extend(word.split())
    return out


class Typeahead:
    """`suggest` for `MatchIndex`, over its word table (word -> slots) and profiles."""

    _words: dict[str, set[int]]
    _vocab: list[str] | None
    _profiles: list[Profile | None]
    _columns: dict[str, np.ndarray]

    def _sorted_vocab(self) -> list[str]:
        if self._vocab is None:
            self._vocab = sorted(self._words)
        return self._vocab

    def _prefixed(self, prefix: str, *, cap: int) -> set[int]:
        vocab = self._sorted_vocab()
        out: set[int] = set()
        i = bisect.bisect_left(vocab, prefix)
        while i < len(vocab) and vocab[i].startswith(prefix) and len(out) < cap:
            out |= self._words[vocab[i]]
            i += 1
        return out

    def suggest(self, text: str, *, limit: int = 10) -> list[Match]:
        """Typeahead over names and aliases: word prefixes first, then typo-tolerant matches."""
        words = _suggest_words(text)
        if not words:
            return []
        significant = [w for w in words if w not in STOPWORDS] or words
        pools = [self._prefixed(w, cap=5000) for w in significant]
        pools.sort(key=len)
        slots = set(pools[0]) if pools else set()
        for pool in pools[1:]:
            slots &= pool
        query = " ".join(words)
        ranked: list[tuple[float, int, str, str]] = []
        for slot in list(slots)[:5000]:
            ranked.append(self._suggest_rank(slot, words, query))
        if len(ranked) < limit:
            # Typos: fall back to fuzzy matching over records sharing any word stem.
            fuzzy_slots: set[int] = set()
            for word in significant:
                if len(word) >= 3:
                    fuzzy_slots |= self._prefixed(word[:3], cap=3000)
            fuzzy_slots -= slots
            pool = list(fuzzy_slots)[:3000]
            hits = process.extract(
                query,
                self._columns["norm"][pool].tolist(),
                scorer=fuzz.partial_ratio,
                limit=limit * 3,
                score_cutoff=70,
            )
            for _, score, pos in hits:
                slot = pool[pos]
                profile = self._profiles[slot]
                if profile is not None:
                    ranked.append(
                        (score * 0.8, slot, profile.record.name, f"name {round(score)}% alike")
                    )
        ranked.sort(key=lambda item: (-item[0], len(item[2]), item[1]))
        out = []
        for score, slot, _, reason in ranked[:limit]:
            profile = self._profiles[slot]
            assert profile is not None
            level = LIKELY if score >= 85 else POSSIBLE
            out.append(
                Match(profile.record.id, profile.record.name, round(score, 1), level, (reason,))
            )
        return out

    def _suggest_rank(self, slot: int, words: list[str], query: str) -> tuple[float, int, str, str]:
        profile = self._profiles[slot]
        assert profile is not None
        best = (0.0, "")
        for form in profile.forms:
            label = "name" if form.source in ("name", "dba", "acronym") else f"alias '{form.raw}'"
            if form.norm.startswith(query):
                candidate = (
                    100.0 - min(len(form.norm) - len(query), 40) * 0.1,
                    f"{label} starts with '{query}'",
                )
            else:
                candidate = (
                    90.0 - min(len(form.norm), 60) * 0.1,
                    f"{label} has words starting with '{query}'",
                )
            best = max(best, candidate)
        return best[0], slot, profile.record.name, best[1]
