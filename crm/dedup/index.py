"""In-memory index of partner records: blocking keys for queries and scans, and typeahead.

Candidates come from inverted keys (rare words, word-pair prefixes, acronyms, identifiers), are
prefiltered with one rapidfuzz batch call and only then scored one by one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz, process

from crm.dedup.normalize import ABBREVIATIONS, NUMBER_WORDS, STOPWORDS, _fold
from crm.dedup.record import Record
from crm.dedup.score import (
    LEVEL_RANK,
    POSSIBLE,
    Match,
    Profile,
    build_profile,
    compare,
    level_for,
)

__all__ = ["MatchIndex", "Record"]

# Words too common to identify anything; they still count inside word-pair keys.
COMMON_TOKENS = frozenset(
    [
        "center",
        "centers",
        "foundation",
        "los",
        "angeles",
        "community",
        "services",
        "service",
        "school",
        "schools",
        "district",
        "county",
        "city",
        "association",
        "health",
        "family",
        "families",
        "youth",
        "church",
        "united",
        "california",
        "southern",
        "national",
        "american",
        "international",
        "club",
        "clubs",
        "program",
        "programs",
        "project",
        "organization",
        "society",
        "institute",
        "council",
        "network",
        "alliance",
        "coalition",
        "group",
        "department",
        "office",
        "education",
        "unified",
        "public",
        "regional",
        "valley",
        "north",
        "south",
        "east",
        "west",
        "san",
        "santa",
        "new",
        "1st",
        "saint",
        "university",
        "college",
        "hospital",
        "medical",
        "clinic",
        "care",
        "inc",
        "and",
        "the",
        "of",
        "for",
        "greater",
        "metropolitan",
        "league",
        "academy",
        "children",
        "childrens",
        "kids",
        "center",
        "arts",
        "art",
        "friends",
        "home",
        "house",
        "help",
        "mission",
        "ministries",
        "ministry",
    ]
)
STRONG_PREFIXES = ("d:", "e:", "ph:", "a:", "ia:", "in:", "c:")

QUERY_KEY_CAP = 1500  # keys naming more records than this are skipped by queries
STRONG_KEY_CAP = 50  # a shared EIN/phone/domain/address on more records is infrastructure
PREFILTER_AT = 50.0  # token_sort_ratio below this is never a duplicate by name alone
PREFILTER_KEEP = 60  # at most this many name candidates per query are scored in full


def blocking_keys(profile: Profile) -> tuple[frozenset[str], frozenset[str]]:
    """(name keys, identifier keys) under which a profile is filed."""
    names: set[str] = set()
    strong: set[str] = set()
    for form in profile.forms:
        words = [t for t in form.tokens if t not in STOPWORDS]
        for word in words:
            if word not in COMMON_TOKENS:
                names.add("t:" + word)
                if len(word) >= 6:
                    names.add("p:" + word[:4])
        heads = [w[:4] for w in words[:5]]
        for a, b in combinations(heads, 2):
            names.add("k:" + (a + "|" + b if a <= b else b + "|" + a))
        # Acronym holders ("ia:") are paired with full names ("in:"), never full with full.
        side = "ia:" if form.has_acronym else "in:"
        for initials in {form.initials, form.initials_all}:
            if len(initials) >= 3:
                strong.add(side + initials)
        strong.add("c:" + " ".join(sorted(form.core.split())))
    if profile.domain:
        strong.add("d:" + profile.domain)
    if profile.ein:
        strong.add("e:" + profile.ein)
    if profile.phone:
        strong.add("ph:" + profile.phone)
    if profile.address:
        strong.add("a:" + profile.address)
    return frozenset(names), frozenset(strong)


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


class MatchIndex:
    """Records by id, with blocking keys for duplicate search and a word list for typeahead."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._profiles: list[Profile | None] = []
        self._keys: list[tuple[frozenset[str], frozenset[str]]] = []
        self._norms: list[str] = []
        self._slot_of: dict[str | int, int] = {}
        self._postings: dict[str, set[int]] = {}
        self._words: dict[str, set[int]] = {}
        self._vocab: list[str] | None = None
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._slot_of

    def __iter__(self) -> Iterator[Record]:
        return (p.record for p in self._profiles if p is not None)

    def get(self, record_id: str | int) -> Record | None:
        """The record stored under `record_id`, if any."""
        slot = self._slot_of.get(record_id)
        profile = self._profiles[slot] if slot is not None else None
        return profile.record if profile else None

    def add(self, record: Record) -> None:
        """File `record`, replacing any record with the same id (which keeps its place)."""
        profile = build_profile(record)
        keys = blocking_keys(profile)
        slot = self._slot_of.get(record.id)
        if slot is None:
            slot = len(self._profiles)
            self._profiles.append(profile)
            self._keys.append(keys)
            self._norms.append(profile.forms[0].norm if profile.forms else "")
            self._slot_of[record.id] = slot
        else:
            self._unfile(slot)
            self._profiles[slot] = profile
            self._keys[slot] = keys
            self._norms[slot] = profile.forms[0].norm if profile.forms else ""
        for key in keys[0] | keys[1]:
            self._postings.setdefault(key, set()).add(slot)
        for form in profile.forms:
            for word in form.tokens:
                if word not in self._words:
                    self._vocab = None
                self._words.setdefault(word, set()).add(slot)

    def remove(self, record_id: str | int) -> None:
        """Forget the record with `record_id`; unknown ids raise KeyError."""
        slot = self._slot_of.pop(record_id)
        self._unfile(slot)
        self._profiles[slot] = None
        self._keys[slot] = (frozenset(), frozenset())
        self._norms[slot] = ""

    def _unfile(self, slot: int) -> None:
        profile = self._profiles[slot]
        names, strong = self._keys[slot]
        for key in names | strong:
            self._drop(self._postings, key, slot)
        for form in profile.forms if profile else ():
            for word in form.tokens:
                if self._drop(self._words, word, slot):
                    self._vocab = None

    @staticmethod
    def _drop(table: dict[str, set[int]], key: str, slot: int) -> bool:
        members = table.get(key)
        if members is None:
            return False
        members.discard(slot)
        if not members:
            del table[key]
            return True
        return False

    # -- duplicate search ------------------------------------------------------------------

    def _candidates(self, profile: Profile, *, key_cap: int) -> tuple[set[int], set[int]]:
        names_keys, strong_keys = blocking_keys(profile)
        names: set[int] = set()
        strong: set[int] = set()
        for key in names_keys:
            members = self._postings.get(key)
            if members and len(members) <= key_cap:
                names |= members
        for key in list(strong_keys):
            if key.startswith("in:"):
                strong_keys = strong_keys - {key} | {"ia:" + key[3:]}
            elif key.startswith("ia:"):
                strong_keys = strong_keys | {"in:" + key[3:]}
        for key in strong_keys:
            members = self._postings.get(key)
            if members and len(members) <= max(STRONG_KEY_CAP, key_cap // 4):
                strong |= members
        return names - strong, strong

    def query(
        self,
        record: Record,
        *,
        limit: int = 5,
        min_level: str = POSSIBLE,
        exclude_ids: Collection[str | int] = (),
    ) -> list[Match]:
        """Best candidates for `record`, best first; never the record itself (same id)."""
        matches = self._query_block([record], limit=limit, exclude_ids=exclude_ids)[0]
        floor = LEVEL_RANK[min_level]
        return [m for m in matches if LEVEL_RANK[m.level] >= floor]

    def query_many(self, records: Sequence[Record], *, limit: int = 5) -> list[list[Match]]:
        """`query` for many records, prefiltering each block of 512 with one rapidfuzz call."""
        out: list[list[Match]] = []
        for start in range(0, len(records), 512):
            out += self._query_block(records[start : start + 512], limit=limit, exclude_ids=())
        return out

    def _query_block(
        self, records: Sequence[Record], *, limit: int, exclude_ids: Collection[str | int]
    ) -> list[list[Match]]:
        excluded = {self._slot_of[i] for i in exclude_ids if i in self._slot_of}
        profiles = [build_profile(r) for r in records]
        # Per block, not per query: which slots hold several name forms, and every slot's norm.
        several_forms = np.fromiter(
            (p is not None and len(p.forms) > 1 for p in self._profiles),
            dtype=bool,
            count=len(self._profiles),
        )
        norms = np.array(self._norms, dtype=object)
        full: list[set[int]] = []
        pair_q: list[np.ndarray] = []
        pair_text: list[str] = []
        pair_slot: list[np.ndarray] = []
        for qi, profile in enumerate(profiles):
            names, strong = self._candidates(profile, key_cap=QUERY_KEY_CAP)
            own = self._slot_of.get(profile.record.id)
            drop = excluded | ({own} if own is not None else set())
            always = {s for s in strong if s not in drop}
            full.append(always)
            if not names:
                continue
            slots = np.fromiter(names, dtype=np.int64, count=len(names))
            if drop or always:
                slots = slots[~np.isin(slots, np.fromiter(drop | always, dtype=np.int64))]
            if len(profile.forms) > 1:
                always.update(slots.tolist())
                continue
            # Records with several forms are scored in full; the rest go through the prefilter.
            wide = several_forms[slots]
            always.update(slots[wide].tolist())
            rest = slots[~wide]
            pair_q.append(np.full(len(rest), qi, dtype=np.int64))
            pair_slot.append(rest)
            pair_text.extend([profile.forms[0].norm if profile.forms else ""] * len(rest))
        if pair_text:
            slots_flat = np.concatenate(pair_slot)
            scores = process.cpdist(
                pair_text,
                norms[slots_flat].tolist(),
                scorer=fuzz.token_sort_ratio,
                workers=-1,
                dtype=np.uint8,
            )
            chosen = self._top_per_query(np.concatenate(pair_q), slots_flat, scores)
            for qi, slots in chosen.items():
                full[qi].update(slots)
        results = []
        for profile, slots in zip(profiles, full, strict=True):
            results.append(self._score(profile, slots, limit=limit))
        return results

    @staticmethod
    def _top_per_query(q: np.ndarray, slots: np.ndarray, scores: np.ndarray) -> dict[int, list]:
        keep = scores >= PREFILTER_AT
        q, slots, scores = q[keep], slots[keep], scores[keep]
        order = np.lexsort((-scores.astype(np.int16), q))
        q, slots = q[order], slots[order]
        chosen: dict[int, list] = {}
        if len(q) == 0:
            return chosen
        starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
        ends = np.r_[starts[1:], len(q)]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            chosen[int(q[start])] = slots[start : min(end, start + PREFILTER_KEEP)].tolist()
        return chosen

    def _score(self, profile: Profile, slots: Iterable[int], *, limit: int) -> list[Match]:
        found: list[tuple[float, int, Match]] = []
        for slot in slots:
            target = self._profiles[slot]
            if target is None or target.record.id == profile.record.id:
                continue
            verdict = compare(profile, target)
            if verdict:
                score, level, reasons = verdict
                match = Match(target.record.id, target.record.name, score, level, reasons)
                found.append((-score, slot, match))
        found.sort(key=lambda item: (item[0], item[1]))
        return [m for _, _, m in found[:limit]]

    # -- typeahead -------------------------------------------------------------------------

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
                [self._norms[s] for s in pool],
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
            level = level_for(score) or POSSIBLE
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

    # -- scan support ----------------------------------------------------------------------

    def candidate_pairs(self, *, block_cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(left slots, right slots, strong flags) of every pair sharing a usable block.

        Blocks up to `block_cap` give all their pairs; larger name blocks give only neighbours
        in sorted order (sorted-neighbourhood), so no block ever costs more than cap² pairs.
        """
        left: list[np.ndarray] = []
        right: list[np.ndarray] = []
        flags: list[np.ndarray] = []
        window = max(2, block_cap // 16)
        triu: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for key, members in self._postings.items():
            size = len(members)
            if key.startswith("in:"):
                continue
            strong = key.startswith(STRONG_PREFIXES)
            if key.startswith("ia:"):
                full = self._postings.get("in:" + key[3:], set())
                if size * (size + len(full)) > block_cap * block_cap * 4:
                    continue
                arr = np.fromiter(members, dtype=np.int64, count=size)
                others = np.fromiter(full, dtype=np.int64, count=len(full))
                a = np.repeat(arr, len(others))
                b = np.tile(others, size)
                if size > 1:
                    i, j = np.triu_indices(size, 1)
                    a, b = np.r_[a, arr[i]], np.r_[b, arr[j]]
            elif size < 2:
                continue
            elif size <= block_cap:
                arr = np.fromiter(members, dtype=np.int64, count=size)
                if size not in triu:
                    triu[size] = np.triu_indices(size, 1)
                i, j = triu[size]
                a, b = arr[i], arr[j]
            elif not key.startswith("k:"):
                # Big single-word and identifier blocks add little beyond word-pair blocks.
                continue
            else:
                ordered = sorted(members, key=self._norms.__getitem__)
                arr = np.asarray(ordered, dtype=np.int64)
                parts = [(arr[:-k], arr[k:]) for k in range(1, min(window, size - 1) + 1)]
                a = np.concatenate([p[0] for p in parts])
                b = np.concatenate([p[1] for p in parts])
            if len(a) == 0:
                continue
            left.append(np.minimum(a, b))
            right.append(np.maximum(a, b))
            flags.append(np.full(len(a), strong, dtype=bool))
        if not left:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=bool)
        lo = np.concatenate(left)
        hi = np.concatenate(right)
        strong_flags = np.concatenate(flags)
        # A record whose aliases include its own acronym sits in both halves of an acronym block.
        other = lo != hi
        lo, hi, strong_flags = lo[other], hi[other], strong_flags[other]
        codes = lo * (len(self._profiles) + 1) + hi
        order = np.lexsort((~strong_flags, codes))
        codes, strong_flags = codes[order], strong_flags[order]
        first = np.r_[True, codes[1:] != codes[:-1]]
        codes, strong_flags = codes[first], strong_flags[first]
        width = len(self._profiles) + 1
        return codes // width, codes % width, strong_flags

    def profile_at(self, slot: int) -> Profile | None:
        """The profile stored in `slot` (scan support)."""
        return self._profiles[slot]

    def norm_at(self, slot: int) -> str:
        """The normalized primary name in `slot` (scan support)."""
        return self._norms[slot]

    def sorted_norm_at(self, slot: int) -> str:
        """The primary name's words in sorted order (scan support)."""
        return " ".join(sorted(self._norms[slot].split()))

    def slot_count(self) -> int:
        """Number of slots, including emptied ones (scan support)."""
        return len(self._profiles)
