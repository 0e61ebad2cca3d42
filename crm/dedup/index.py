"""In-memory index of partner records: blocking keys for queries and scans, and typeahead.

Candidates come from inverted keys (rare words, word-pair prefixes, acronyms, identifiers), are
prefiltered with one rapidfuzz batch call and only then scored one by one.
"""

from __future__ import annotations

import bisect
import gc
import multiprocessing
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz, process

from crm.dedup.judge import compare
from crm.dedup.model import MatchModel, default_model
from crm.dedup.normalize import (
    ABBREVIATIONS,
    NUMBER_WORDS,
    STOPWORDS,
    WEAK_TOKENS,
    _fold,
    name_forms,
)
from crm.dedup.record import Record
from crm.dedup.score import (
    LEVEL_RANK,
    LIKELY,
    POSSIBLE,
    POSSIBLE_AT,
    Match,
    Profile,
    _acronym_hit,
    _weak_words_possible,
    build_profile,
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

# Name keys naming more records than this are skipped by queries: such a word identifies
# nothing, and every duplicate found with them in `bench/bench_dedup.py` and in the labelled
# pairs set among 100k others (`tests/dedup/devset_retrieval.py`) shares a rarer key as well.
QUERY_KEY_CAP = 500
STRONG_QUERY_CAP = 375  # an EIN/phone/domain/address shared by more records is infrastructure
PREFILTER_AT = 50.0  # token_sort_ratio below this is never a duplicate by name alone
PREFILTER_KEEP = 60  # at most this many name candidates per query are scored in full
PARALLEL_CHUNK = 250  # records per task when a batch is split over worker processes

# Per-slot columns (name, empty value, dtype) for the vectorized prefilter, gate and scan; they
# describe a slot's primary name form, which is its only one unless `several` is set.
_COLUMNS = (
    ("several", False, bool),
    ("sorted_norm", "", object),
    ("norm", "", object),
    ("joined", "", object),
    ("acronym", False, bool),
    ("weak", False, bool),
    ("domain", "", object),
    ("ein", "", object),
    ("phone", "", object),
    ("address", "", object),
    ("zip", "", object),
    ("street", False, bool),  # whether the record has a street line at all
)
_EMPTY_ROW = tuple(empty for _, empty, _ in _COLUMNS)
IDENTIFIERS = ("domain", "ein", "phone", "address")
_FIELD_KEYS = {"domain": "d:", "ein": "e:", "phone": "ph:", "address": "a:"}
NAMES_SHARING_CAP = 200  # records looked at to count the distinct names behind one value
# Blocks up to this many times the block cap compare all pairs whose names are this alike.
GATED_BLOCK_FACTOR = 8
BLOCK_GATE = 68
TF_EXACT_CAP = 2000  # records with a name's rarest word beyond which it counts as that many

# The index a forked worker process answers from: inherited from the parent, never pickled.
_worker_index: MatchIndex | None = None


def blocking_keys(profile: Profile) -> tuple[frozenset[str], frozenset[str]]:
    """(name keys, identifier keys) under which a profile is filed."""
    record = profile.record
    names, by_name = _name_keys(record.name or "", tuple(record.aliases or ()))
    strong = set(by_name)
    if profile.domain:
        strong.add("d:" + profile.domain)
    if profile.ein:
        strong.add("e:" + profile.ein)
    if profile.phone:
        strong.add("ph:" + profile.phone)
    if profile.address:
        strong.add("a:" + profile.address)
    return names, frozenset(strong)


@lru_cache(maxsize=1 << 16)
def _name_keys(name: str, aliases: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(name keys, identifier keys from the name) of a record's name forms. Cached: chains
    repeat one name across hundreds of rows."""
    names: set[str] = set()
    strong: set[str] = set()
    for form in name_forms(name, aliases=aliases):
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


@lru_cache(maxsize=1 << 16)
def _name_words(name: str, aliases: tuple[str, ...]) -> frozenset[str]:
    """Every word of a record's name forms, for typeahead and term frequencies."""
    return frozenset(word for form in name_forms(name, aliases=aliases) for word in form.tokens)


@lru_cache(maxsize=1 << 16)
def _sorted_words(norm: str) -> str:
    return " ".join(sorted(norm.split()))


def _row(profile: Profile | None) -> tuple:
    """A slot's values of `_COLUMNS`, in their order: its primary name form and identifiers."""
    form = profile.forms[0] if profile and profile.forms else None
    if profile is None or form is None:
        return _EMPTY_ROW
    return (
        len(profile.forms) > 1,
        _sorted_words(form.norm),
        form.norm,
        form.joined,
        form.has_acronym,
        not WEAK_TOKENS.isdisjoint(form.token_set),
        profile.domain,
        profile.ein,
        profile.phone,
        profile.address,
        profile.zip,
        profile.address_parts is not None,
    )


class MatchIndex:
    """Records by id, with blocking keys for duplicate search and a word list for typeahead."""

    def __init__(self, records: Iterable[Record] = (), *, model: MatchModel | None = None) -> None:
        self.model = model or default_model()
        self._tf_cache: dict[frozenset[str], int] = {}
        self._profiles: list[Profile | None] = []
        self._keys: list[tuple[frozenset[str], frozenset[str]]] = []
        self._slot_of: dict[str | int, int] = {}
        self._postings: dict[str, set[int]] = {}
        self._words: dict[str, set[int]] = {}
        self._vocab: list[str] | None = None
        # Per slot, for the vectorized prefilter, gate and scan (see _COLUMNS).
        self._columns = {name: np.full(1024, empty, dtype=kind) for name, empty, kind in _COLUMNS}
        self._add_all(records)

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
        slot = self._file(record)
        self._set_arrays(slot, self._profiles[slot])

    def _add_all(self, records: Iterable[Record]) -> None:
        """`add` every record, with the new slots' columns filled in one go at the end."""
        start = len(self._profiles)
        for record in records:
            slot = self._file(record)
            if slot < start:
                self._set_arrays(slot, self._profiles[slot])
        rows = [_row(profile) for profile in self._profiles[start:]]
        if not rows:
            return
        self._reserve(len(self._profiles))
        end = start + len(rows)
        for (name, _, _), values in zip(_COLUMNS, zip(*rows, strict=True), strict=True):
            self._columns[name][start:end] = values

    def _file(self, record: Record) -> int:
        """Profile `record` and file it under its keys and words; returns its slot."""
        profile = build_profile(record)
        keys = blocking_keys(profile)
        self._tf_cache.clear()
        slot = self._slot_of.get(record.id)
        if slot is None:
            slot = len(self._profiles)
            self._profiles.append(profile)
            self._keys.append(keys)
            self._slot_of[record.id] = slot
        else:
            self._unfile(slot)
            self._profiles[slot] = profile
            self._keys[slot] = keys
        postings, words = self._postings, self._words
        for key in keys[0] | keys[1]:
            members = postings.get(key)
            if members is None:
                postings[key] = {slot}
            else:
                members.add(slot)
        for word in _name_words(record.name or "", tuple(record.aliases or ())):
            members = words.get(word)
            if members is None:
                words[word] = {slot}
                self._vocab = None
            else:
                members.add(slot)
        return slot

    def remove(self, record_id: str | int) -> None:
        """Forget the record with `record_id`; unknown ids raise KeyError."""
        slot = self._slot_of.pop(record_id)
        self._tf_cache.clear()
        self._unfile(slot)
        self._profiles[slot] = None
        self._keys[slot] = (frozenset(), frozenset())
        self._set_arrays(slot, None)

    def _reserve(self, size: int) -> None:
        columns = self._columns
        while size > len(columns["several"]):
            for name, empty, kind in _COLUMNS:
                grown = np.full(len(columns[name]), empty, dtype=kind)
                columns[name] = np.r_[columns[name], grown]

    def _set_arrays(self, slot: int, profile: Profile | None) -> None:
        self._reserve(slot + 1)
        for (name, _, _), value in zip(_COLUMNS, _row(profile), strict=True):
            self._columns[name][slot] = value

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

    # -- term frequencies (crm.dedup.judge.Frequencies) -----------------------------------

    def records_with_words(self, words: frozenset[str]) -> int:
        """How many records have every one of `words` in a name or alias (remembered until
        the index changes: a scan asks about the same common names again and again)."""
        known = self._tf_cache.get(words)
        if known is not None:
            return known
        sets = sorted((self._words.get(w, set()) for w in words), key=len)
        if not sets:
            count = 0
        elif len(sets[0]) > TF_EXACT_CAP:
            # Words this common make a common name whatever the exact count.
            count = len(sets[0])
        else:
            # set.intersection walks the smaller set in C. Distinct names, not records, are
            # counted: a list that repeats one organization's name on many rows says that name
            # is frequent in the list, not that many organizations share it.
            norms = self._columns["norm"]
            count = len({norms[slot] for slot in sets[0].intersection(*sets[1:])})
        if len(self._tf_cache) > 100_000:
            self._tf_cache.clear()
        self._tf_cache[words] = count
        return count

    def names_sharing(self, field: str, value: str, *, also: tuple[str, ...] = ()) -> int:
        """How many different names use this domain, EIN, phone or address (up to a cap),
        counting the names in `also` (the pair being judged) too."""
        members = self._postings.get(_FIELD_KEYS[field] + value, ())
        norms = self._columns["norm"]
        first = zip(range(NAMES_SHARING_CAP), members, strict=False)
        return len({norms[slot] for _, slot in first}.union(also))

    def names_with_initials(self, initials: str) -> int:
        """How many full names (not acronyms) have these initials."""
        return len(self._postings.get("in:" + initials, ()))

    # -- duplicate search ------------------------------------------------------------------

    def _candidates(self, profile: Profile, *, key_cap: int) -> tuple[set[int], set[int]]:
        names_keys, strong_keys = blocking_keys(profile)
        names: set[int] = set()
        strong: set[int] = set()
        for key in names_keys:
            if key.startswith("t:") and len(key) >= 8:
                # Every record with a 6+ letter word is also filed under its 4-letter prefix.
                prefix = self._postings.get("p:" + key[2:6])
                if prefix is not None and len(prefix) <= key_cap:
                    continue
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
            if members and len(members) <= STRONG_QUERY_CAP:
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

    def query_many(
        self, records: Sequence[Record], *, limit: int = 5, workers: int = 1
    ) -> list[list[Match]]:
        """`query` for many records at once, in the same order.

        With `workers` > 1 and a batch of several chunks, the batch is split over that many
        forked processes, which share the index with this one copy-on-write; where fork is not
        available the batch runs here.
        """
        chunks = [records[i : i + PARALLEL_CHUNK] for i in range(0, len(records), PARALLEL_CHUNK)]
        if workers <= 1 or len(chunks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return self._query_block(records, limit=limit, exclude_ids=())
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(chunks)), _adopt_index, (self,)) as pool:
            parts = pool.map(_query_chunk, [(chunk, limit) for chunk in chunks], chunksize=1)
        return [matches for part in parts for matches in part]

    def _query_block(
        self, records: Sequence[Record], *, limit: int, exclude_ids: Collection[str | int]
    ) -> list[list[Match]]:
        excluded = {self._slot_of[i] for i in exclude_ids if i in self._slot_of}
        several_forms = self._columns["several"]
        results = []
        for record in records:
            profile = build_profile(record)
            names, strong = self._candidates(profile, key_cap=QUERY_KEY_CAP)
            own = self._slot_of.get(record.id)
            drop = excluded | ({own} if own is not None else set())
            full = {s for s in strong if s not in drop}
            if drop:
                # Kept in the set's own order: the prefilter breaks ties by position.
                names = [s for s in names if s not in drop]
            if names:
                slots = np.fromiter(names, dtype=np.int64, count=len(names))
                if len(profile.forms) > 1:
                    full.update(slots.tolist())
                else:
                    # Records with several forms are scored in full; the rest are prefiltered.
                    wide = several_forms[slots]
                    full.update(slots[wide].tolist())
                    full.update(self._gate(profile, self._prefilter(profile, slots[~wide])))
            results.append(self._score(profile, full, limit=limit))
        return results

    def _prefilter(self, profile: Profile, slots: np.ndarray) -> np.ndarray:
        """The PREFILTER_KEEP slots whose names are most alike by token_sort_ratio (at least
        PREFILTER_AT), computed as one ratio call over pre-sorted words."""
        if not len(slots) or not profile.forms:
            return slots[:0]
        query = " ".join(sorted(profile.forms[0].norm.split()))
        scores = process.cdist(
            [query],
            self._columns["sorted_norm"][slots].tolist(),
            scorer=fuzz.ratio,
            score_cutoff=PREFILTER_AT,
            dtype=np.uint8,
        )[0]
        keep = np.flatnonzero(scores >= PREFILTER_AT)
        order = np.argsort(-scores[keep].astype(np.int16), kind="stable")[:PREFILTER_KEEP]
        return slots[keep[order]]

    def _gate(self, profile: Profile, slots: np.ndarray) -> list[int]:
        """Drop the slots `compare` is sure to turn down, in a few vectorized calls: no shared
        identifier, names under POSSIBLE_AT alike, and neither an acronym that fits nor a weak
        word that could be all they differ by (the rules of `compare_names`, which repeats
        this check for a single pair)."""
        if not len(slots):
            return []
        form = profile.forms[0]
        columns = self._columns
        keep = np.zeros(len(slots), dtype=bool)
        for name in IDENTIFIERS:
            mine = getattr(profile, name)
            if mine:
                keep |= columns[name][slots] == mine
        rest = np.flatnonzero(~keep)
        if len(rest):
            alike = np.zeros(len(rest), dtype=bool)
            for column, text, scorer in (
                ("norm", form.norm, fuzz.ratio),
                ("norm", form.norm, fuzz.token_sort_ratio),
                ("joined", form.joined, fuzz.ratio),
            ):
                alike |= (
                    process.cdist(
                        [text],
                        columns[column][slots[rest]].tolist(),
                        scorer=scorer,
                        score_cutoff=POSSIBLE_AT,
                        dtype=np.float32,
                    )[0]
                    >= POSSIBLE_AT
                )
            keep[rest[alike]] = True
        # Acronyms and weak words are checked pair by pair, only where a side has one.
        if form.has_acronym or not WEAK_TOKENS.isdisjoint(form.token_set):
            flagged = np.flatnonzero(~keep)
        else:
            flagged = np.flatnonzero(~keep & (columns["acronym"][slots] | columns["weak"][slots]))
        for i in flagged.tolist():
            other = self._profiles[int(slots[i])]
            if other is not None and other.forms:
                y = other.forms[0]
                keep[i] = bool(_acronym_hit(form, y)) or _weak_words_possible(form, y)
        return slots[keep].tolist()

    def _score(self, profile: Profile, slots: Iterable[int], *, limit: int) -> list[Match]:
        found: list[tuple[float, int, Match]] = []
        for slot in slots:
            target = self._profiles[slot]
            if target is None or target.record.id == profile.record.id:
                continue
            verdict = compare(profile, target, model=self.model, stats=self)
            if verdict:
                match = Match(
                    target.record.id,
                    target.record.name,
                    verdict.score,
                    verdict.level,
                    verdict.reasons,
                    verdict.weight,
                    verdict.probability,
                )
                found.append((-verdict.weight, slot, match))
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

    # -- scan support ----------------------------------------------------------------------

    def candidate_pairs(
        self, *, block_cap: int, only: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(left slots, right slots, strong flags) of every pair sharing a usable block.

        Blocks up to `block_cap` give all their pairs; larger name blocks give only neighbours
        in sorted order (sorted-neighbourhood), so no block ever costs more than cap² pairs.
        With `only` (a mask over slots), blocks hold just the slots it marks.
        """
        left: list[np.ndarray] = []
        right: list[np.ndarray] = []
        flags: list[np.ndarray] = []
        window = max(2, block_cap // 16)
        triu: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for key, filed in self._postings.items():
            if (len(filed) < 2 and not key.startswith("ia:")) or key.startswith("in:"):
                # Most keys name one record: they pair it with nobody.
                continue
            members = filed if only is None else {m for m in filed if only[m]}
            size = len(members)
            strong = key.startswith(STRONG_PREFIXES)
            if key.startswith("ia:"):
                full = self._postings.get("in:" + key[3:], set())
                if only is not None:
                    full = {m for m in full if only[m]}
                if size * (size + len(full)) > block_cap * block_cap * 4:
                    continue
                arr = np.fromiter(members, dtype=np.int64, count=size)
                others = np.fromiter(full, dtype=np.int64, count=len(full))
                a = np.repeat(arr, len(others))
                b = np.tile(others, size)
                if size > 1:
                    i, j = np.triu_indices(size, 1)
                    a, b = np.r_[a, arr[i]], np.r_[b, arr[j]]
            elif size <= block_cap:
                arr = np.fromiter(members, dtype=np.int64, count=size)
                if size not in triu:
                    triu[size] = np.triu_indices(size, 1)
                i, j = triu[size]
                a, b = arr[i], arr[j]
            elif not key.startswith("k:"):
                # Big single-word and identifier blocks add little beyond word-pair blocks.
                continue
            elif size <= block_cap * GATED_BLOCK_FACTOR:
                # Mid-sized blocks (a chain's many spellings): every pair whose names are
                # alike, found by one vectorized comparison, instead of only sorted neighbours.
                arr = np.fromiter(members, dtype=np.int64, count=size)
                norms = self._columns["norm"][arr].tolist()
                alike = process.cdist(
                    norms,
                    norms,
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=BLOCK_GATE,
                    dtype=np.uint8,
                    workers=-1,
                )
                i, j = np.nonzero(np.triu(alike, 1))
                a, b = arr[i], arr[j]
            else:
                ordered = sorted(members, key=self._columns["norm"].__getitem__)
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

    def slot_column(self, name: str) -> np.ndarray:
        """One per-slot column of `_COLUMNS` (e.g. "norm", "several") over every slot, emptied
        ones included (scan support); a view, not to be written."""
        return self._columns[name][: len(self._profiles)]

    def slot_count(self) -> int:
        """Number of slots, including emptied ones (scan support)."""
        return len(self._profiles)


def _adopt_index(index: MatchIndex) -> None:
    global _worker_index
    _worker_index = index
    # The inherited heap is read-only here: a collection would walk every index object and
    # write to each one's header, copying the shared pages for nothing.
    gc.freeze()


def _query_chunk(task: tuple[Sequence[Record], int]) -> list[list[Match]]:
    records, limit = task
    assert _worker_index is not None
    return _worker_index._query_block(records, limit=limit, exclude_ids=())
