"""In-memory index of partner records: filing, term frequencies and duplicate queries.

Candidates come from blocking keys (`blocking.py`), are prefiltered with one rapidfuzz batch
call and only then scored one by one; typeahead is in `typeahead.py`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from crm.dedup.blocking import block_pairs, blocking_keys, name_words
from crm.dedup.columns import COLUMNS, empty_columns, grown, row_of
from crm.dedup.judge import compare
from crm.dedup.model import MatchModel, default_model
from crm.dedup.parallel import query_in_workers
from crm.dedup.record import Record
from crm.dedup.score import (
    LEVEL_RANK,
    POSSIBLE,
    POSSIBLE_AT,
    Match,
    Profile,
    _acronym_hit,
    _weak_words_possible,
    build_profile,
)
from crm.dedup.typeahead import Typeahead
from crm.dedup.vocabulary import WEAK_TOKENS

__all__ = ["MatchIndex", "Record"]

# Name keys naming more records than this are skipped by queries: such a word identifies
# nothing, and every duplicate found with them in `bench/bench_dedup.py` and in the labelled
# pairs set among 100k others (`tests/dedup/devset_retrieval.py`) shares a rarer key as well.
QUERY_KEY_CAP = 500
STRONG_QUERY_CAP = 375  # an EIN/phone/domain/address shared by more records is infrastructure
PREFILTER_AT = 50.0  # token_sort_ratio below this is never a duplicate by name alone
PREFILTER_KEEP = 60  # at most this many name candidates per query are scored in full
IDENTIFIERS = ("domain", "ein", "phone", "address")
_FIELD_KEYS = {"domain": "d:", "ein": "e:", "phone": "ph:", "address": "a:"}
NAMES_SHARING_CAP = 200  # records looked at to count the distinct names behind one value
TF_EXACT_CAP = 2000  # records with a name's rarest word beyond which it counts as that many


class MatchIndex(Typeahead):
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
        # Per slot, for the vectorized prefilter, gate and scan (see `crm.dedup.columns`).
        self._columns = empty_columns()
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
        rows = [row_of(profile) for profile in self._profiles[start:]]
        if not rows:
            return
        self._reserve(len(self._profiles))
        end = start + len(rows)
        for (name, _, _), values in zip(COLUMNS, zip(*rows, strict=True), strict=True):
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
        for word in name_words(record.name or "", tuple(record.aliases or ())):
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
        self._columns = grown(self._columns, size)

    def _set_arrays(self, slot: int, profile: Profile | None) -> None:
        self._reserve(slot + 1)
        for (name, _, _), value in zip(COLUMNS, row_of(profile), strict=True):
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
        """`query` for many records at once, in the same order; with `workers` > 1 a large
        batch is split over forked processes (`crm.dedup.parallel`)."""
        return query_in_workers(self, records, limit=limit, workers=workers)

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

    # -- scan support ----------------------------------------------------------------------

    def candidate_pairs(
        self, *, block_cap: int, only: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(left slots, right slots, strong flags) of every pair sharing a usable block
        (`crm.dedup.blocking.block_pairs`); with `only`, a mask over slots, just those."""
        return block_pairs(
            self._postings,
            self._columns["norm"],
            len(self._profiles),
            block_cap=block_cap,
            only=only,
        )

    def profile_at(self, slot: int) -> Profile | None:
        """The profile stored in `slot` (scan support)."""
        return self._profiles[slot]

    def slot_column(self, name: str) -> np.ndarray:
        """One per-slot column of `COLUMNS` (e.g. "norm", "several") over every slot, emptied
        ones included (scan support); a view, not to be written."""
        return self._columns[name][: len(self._profiles)]

    def slot_count(self) -> int:
        """Number of slots, including emptied ones (scan support)."""
        return len(self._profiles)
