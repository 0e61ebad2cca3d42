"""The speed-ups change no answer: queries, scans and training equal their plain versions.

Each plain version (no pruning, frequencies counted record by record) is written out here and
run on the same fixed samples: the LA sites set, the labelled pairs set, and chain-heavy rows.
"""

import itertools
import random

import numpy as np
import pytest
from rapidfuzz import fuzz, process
from samples import la_sites, labelled_pairs

from crm.dedup import MatchIndex, Record, scan
from crm.dedup.index import QUERY_KEY_CAP, TF_EXACT_CAP
from crm.dedup.judge import _can_reach, compare, level_of
from crm.dedup.levels import ADDRESS, COMPARISONS, PHONE, comparison_levels
from crm.dedup.match import BLOCK_CAP, _identical_groups, _judge, _prefilter, _spread
from crm.dedup.model import TF_LIMIT, MatchModel, default_model, probability_of
from crm.dedup.prune import reachable, weight_bounds
from crm.dedup.score import POSSIBLE_AT
from crm.dedup.train import train
from crm.dedup.vocabulary import WEAK_TOKENS


def chains(n: int = 1500) -> list[Record]:
    """Spreadsheet rows: a few names repeated across many sites, retyped now and then."""
    rng = random.Random(11)
    names = [r.name for r in la_sites("heldout")[:300]]
    out = []
    for i in range(n):
        name = names[min(len(names) - 1, int(rng.paretovariate(1.2)) - 1)]
        if rng.random() < 0.2:
            name = name.upper() if rng.random() < 0.5 else name.replace(" ", "  ", 1) + " Inc"
        phone = f"(213) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
        out.append(
            Record(
                f"m{i}",
                name,
                phone=phone if rng.random() < 0.5 else "",
                zip=f"9{rng.randint(0, 40):04d}" if rng.random() < 0.9 else "",
            )
        )
    return out


def short_forms() -> list[Record]:
    """Names next to their acronyms and to one word of them plus 'Foundation' or 'Fund':
    pairs far apart by spelling that only the acronym and weak-word rules join."""
    out = []
    for i, record in enumerate(la_sites("heldout")[:240]):
        words = [w for w in record.name.replace("-", " ").split() if w.isalpha()]
        if len(words) < 3:
            continue
        word = max(words, key=len)
        out.append(Record(f"n{i}", record.name))
        out.append(Record(f"a{i}", "".join(w[0] for w in words).upper()))
        out.append(Record(f"w{i}", f"{word} {('Foundation', 'Fund')[i % 2]}"))
        out.append(Record(f"s{i}", word.upper() if i % 3 else word))
    return out


def la_dev() -> list[Record]:
    return la_sites("dev")


SAMPLES = {"la": la_dev, "labelled": labelled_pairs, "chains": chains, "short": short_forms}


class CountedFrequencies:
    """The index's frequencies, word counts taken record by record (no sets, no cache)."""

    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self.words = [
            frozenset(w for f in p.forms for w in f.tokens) if p else frozenset()
            for p in (index.profile_at(s) for s in range(index.slot_count()))
        ]

    def __len__(self) -> int:
        return len(self.index)

    def records_with_words(self, words: frozenset[str]) -> int:
        if not words:
            return 0
        rarest = min(sum(w in mine for mine in self.words) for w in words)
        if rarest > TF_EXACT_CAP:
            return rarest
        norms = self.index.slot_column("norm")
        return len({norms[slot] for slot, mine in enumerate(self.words) if words <= mine})

    def names_sharing(self, field: str, value: str, *, also: tuple[str, ...] = ()) -> int:
        return self.index.names_sharing(field, value, also=also)

    def names_with_initials(self, initials: str) -> int:
        return self.index.names_with_initials(initials)


def as_tuple(found) -> tuple:
    return tuple(tuple(getattr(x, f) for f in x.__slots__) for x in found)


def plain_scan(index: MatchIndex) -> tuple:
    """`scan` without the identifier bound: every blocked pair of distinct records past the
    name prefilter, each record judged against each other one (no verdict shared)."""
    stats = CountedFrequencies(index)
    groups = _identical_groups(index)
    only = np.zeros(index.slot_count(), dtype=bool)
    only[list(groups)] = True
    lo, hi, strong = index.candidate_pairs(block_cap=BLOCK_CAP, only=only)
    lo, hi = _prefilter(index, lo, hi, strong)
    work = [(rep, None) for rep, members in groups.items() if len(members) > 1]
    work += list(zip(lo.tolist(), hi.tolist(), strict=True))
    found = []
    for left, right in work:
        for first, second in _spread(groups[left], None if right is None else groups[right]):
            a, b = index.profile_at(first), index.profile_at(second)
            verdict = compare(a, b, model=index.model, stats=stats)
            if verdict:
                found.append(
                    (
                        (-verdict.weight, first, second),
                        (a.record.id, b.record.id, verdict.score, verdict.level)
                        + (verdict.reasons, verdict.weight, verdict.probability),
                    )
                )
    found.sort(key=lambda item: item[0])
    return tuple(pair for _, pair in found)


def plain_gate(index: MatchIndex, profile, slots: np.ndarray) -> list[int]:
    """The gate as first written: every slot kept where either side has an acronym or a weak
    word, else those sharing an identifier or POSSIBLE_AT alike by one of three ratios."""
    if not len(slots):
        return []
    form = profile.forms[0]
    if form.has_acronym or not WEAK_TOKENS.isdisjoint(form.token_set):
        return slots.tolist()
    keep = index.slot_column("acronym")[slots] | index.slot_column("weak")[slots]
    for name in ("domain", "ein", "phone", "address"):
        if getattr(profile, name):
            keep |= index.slot_column(name)[slots] == getattr(profile, name)
    for column, text, scorer in (
        ("norm", form.norm, fuzz.ratio),
        ("norm", form.norm, fuzz.token_sort_ratio),
        ("joined", form.joined, fuzz.ratio),
    ):
        others = index.slot_column(column)[slots].tolist()
        keep |= process.cdist([text], others, scorer=scorer, dtype=np.float32)[0] >= POSSIBLE_AT
    return slots[keep].tolist()


def plain_query(index: MatchIndex, record: Record, *, limit: int, exclude: set) -> tuple:
    """`query` as first written: candidates, prefilter, gate, then every survivor judged."""
    from crm.dedup.score import build_profile

    stats = CountedFrequencies(index)
    profile = build_profile(record)
    names, strong = index._candidates(profile, key_cap=QUERY_KEY_CAP)
    excluded = {index._slot_of[i] for i in exclude if i in index._slot_of}
    own = index._slot_of.get(record.id)
    drop = excluded | ({own} if own is not None else set())
    full = {s for s in strong if s not in drop}
    if names:
        slots = np.fromiter(names, dtype=np.int64, count=len(names))
        if drop or full:
            slots = slots[~np.isin(slots, np.fromiter(drop | full, dtype=np.int64))]
        wide = index.slot_column("several")[slots]
        if len(profile.forms) > 1:
            full.update(slots.tolist())
        else:
            full.update(slots[wide].tolist())
            full.update(plain_gate(index, profile, index._prefilter(profile, slots[~wide])))
    found = []
    for slot in full:
        target = index.profile_at(slot)
        if target is None or target.record.id == record.id:
            continue
        verdict = compare(profile, target, model=index.model, stats=stats)
        if verdict:
            found.append(((-verdict.weight, slot), target.record, verdict))
    found.sort(key=lambda item: item[0])
    return tuple(
        (t.id, t.name, v.score, v.level, v.reasons, v.weight, v.probability)
        for _, t, v in found[:limit]
    )


def inverted(model: MatchModel) -> MatchModel:
    """m and u swapped: disagreeing levels weigh for a match, so no bound may assume signs."""
    return MatchModel(m=model.u, u=model.m, prior=0.3, joint_m=1e-4, joint_u=0.5)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_scan_equals_the_plain_scan(sample: str) -> None:
    index = MatchIndex(SAMPLES[sample]())
    found = tuple(
        (p.left_id, p.right_id, p.score, p.level, p.reasons, p.weight, p.probability)
        for p in scan(index)
    )
    assert found == plain_scan(index)
    assert found


def test_scan_equals_the_plain_scan_under_an_inverted_model() -> None:
    index = MatchIndex(chains(600), model=inverted(default_model()))
    found = tuple(
        (p.left_id, p.right_id, p.score, p.level, p.reasons, p.weight, p.probability)
        for p in scan(index)
    )
    assert found == plain_scan(index)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_remembered_name_levels_equal_fresh_ones(sample: str) -> None:
    index = MatchIndex(SAMPLES[sample]())
    lo, hi, _ = index.candidate_pairs(block_cap=BLOCK_CAP)
    pairs = [
        (x, y)
        for left, right in zip(lo.tolist(), hi.tolist(), strict=True)
        for x, y in itertools.permutations((index.profile_at(left), index.profile_at(right)))
    ]
    memo: dict = {}
    for x, y in pairs:  # fills the memo, as a scan does
        comparison_levels(x, y, quick=True, memo=memo)
    assert len(memo) < len(pairs)  # repeated name pairs were remembered, not recomputed
    for x, y in pairs:
        remembered = comparison_levels(x, y, quick=True, memo=memo)
        fresh = comparison_levels(x, y, quick=True)
        assert (remembered is None) == (fresh is None)
        if fresh is not None:
            assert remembered == fresh
            assert (remembered.name, remembered.alias) == (fresh.name, fresh.alias)


def shared_lines() -> list[Record]:
    """Two spellings of one name, twice: at one site sharing a website and a phone line, at
    another sharing other ones, the second line also used by three other organizations."""
    out = []
    for i, (site, phone) in enumerate((("harbor.org", "0100"), ("harbor-youth.net", "0199"))):
        for j, name in enumerate(("Harbor Youth Center", "Harbor Youth Centre")):
            out.append(
                Record(f"h{i}{j}", name, website=site, phone=f"213555{phone}", zip=f"9000{i}{j}")
            )
    for k, name in enumerate(("Tlaloc Dance", "Quetzal Arts Studio", "Xochitl Garden Club")):
        out.append(Record(f"o{k}", name, phone="2135550199"))
    return out


def test_a_shared_verdict_equals_judging_each_pair() -> None:
    """Rows of one chain meet the same names with different phones and ZIPs: a verdict is
    shared only between pairs with equal names and levels, and no shared website/EIN/phone."""
    index = MatchIndex(shared_lines() + chains(800))
    verdicts: dict = {}
    lo, hi, _ = index.candidate_pairs(block_cap=BLOCK_CAP)
    every = np.array(list(itertools.combinations(range(len(shared_lines())), 2)))
    lo, hi = np.r_[every[:, 0], lo], np.r_[every[:, 1], hi]
    shared = 0
    for left, right in zip(lo.tolist(), hi.tolist(), strict=True):
        a, b = index.profile_at(left), index.profile_at(right)
        before = len(verdicts)
        judged = _judge(a, b, index, verdicts, {})
        shared += len(verdicts) == before
        assert judged == compare(a, b, model=index.model, stats=index)
    assert shared > len(lo) // 2


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_queries_equal_the_plain_queries(sample: str) -> None:
    records = SAMPLES[sample]()
    rng = random.Random(5)
    index = MatchIndex(records[: len(records) * 2 // 3])
    asked = records[len(records) * 2 // 3 :][:150] + rng.sample(records, 60)
    names_only = [Record(f"q{i}", r.name) for i, r in enumerate(rng.sample(records, 60))]
    exclude = {r.id for r in rng.sample(records, 40)}
    hits = 0
    for record in asked + names_only:
        for skip in (set(), exclude):
            found = as_tuple(index.query(record, limit=8, exclude_ids=skip))
            assert found == plain_query(index, record, limit=8, exclude=skip)
            hits += len(found)
    assert hits


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_word_counts_equal_counting_record_by_record(sample: str) -> None:
    index = MatchIndex(SAMPLES[sample]())
    counted = CountedFrequencies(index)
    rng = random.Random(2)
    vocabulary = sorted(index._words)
    common = sorted(vocabulary, key=lambda w: -len(index._words[w]))[:20]
    asked = [frozenset(rng.sample(vocabulary, k)) for k in (1, 2, 3) for _ in range(100)]
    asked += [frozenset(pair) for pair in itertools.combinations(common, 2)]
    for words in asked:
        assert index.records_with_words(words) == counted.records_with_words(words)


def level_bound(codes: tuple[int, ...], model: MatchModel) -> float:
    bound = model.prior_weight + TF_LIMIT / 4
    bound += sum(model.weight(i, level) for i, level in enumerate(codes))
    if codes[PHONE] == 0 and codes[ADDRESS] == 0:
        bound += model.joint_correction()
    return bound


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@pytest.mark.parametrize("invert", [False, True])
def test_identifier_bound_never_drops_a_pair_compare_would_keep(sample: str, invert: bool) -> None:
    records = SAMPLES[sample]()
    model = inverted(default_model()) if invert else default_model()
    index = MatchIndex(records, model=model)
    lo, hi, _ = index.candidate_pairs(block_cap=BLOCK_CAP)
    rng = np.random.default_rng(4)
    n = index.slot_count()
    lo = np.r_[lo, rng.integers(0, n, 3000)]
    hi = np.r_[hi, rng.integers(0, n, 3000)]
    bounds = weight_bounds(index, lo, hi)
    keep = reachable(index, lo, hi)
    dropped = 0
    for left, right, bound, kept in zip(lo.tolist(), hi.tolist(), bounds, keep, strict=True):
        a, b = index.profile_at(left), index.profile_at(right)
        levels = comparison_levels(a, b, quick=True)
        if levels is not None:
            assert level_bound(levels.codes, model) <= bound
        if not kept:
            dropped += 1
            assert compare(a, b, model=model, stats=index) is None
    # Names alone never rule a pair out; disagreeing identifiers do, under the shipped model.
    assert dropped or invert or not any(r.phone or r.zip for r in records)


def test_reach_memo_follows_the_model_in_use() -> None:
    models = [default_model(), inverted(default_model())]
    rng = random.Random(8)
    shapes = [range(-1, len(c.levels)) for c in COMPARISONS]
    patterns = [tuple(rng.choice(shape) for shape in shapes) for _ in range(400)]
    for codes in patterns:
        for model in models + models[::-1]:
            direct = level_of(probability_of(level_bound(codes, model)), model) is not None
            assert _can_reach(codes, model) == direct


def test_training_on_a_given_index_equals_training_on_the_records() -> None:
    records = la_sites("dev")[:700]
    plain = train(records, em=True, candidate_sample=5000, random_sample=5000).to_dict()
    given = train(
        records, em=True, candidate_sample=5000, random_sample=5000, index=MatchIndex(records)
    ).to_dict()
    plain.pop("trained_at")
    given.pop("trained_at")
    assert given == plain


def test_building_at_once_equals_adding_one_by_one() -> None:
    records = chains(400) + la_sites("dev")[:300]
    # A repeated id replaces the earlier record in its place, in a batch as one by one.
    records += [Record("m3", "Renamed Youth Center", phone="(213) 555-7788"), records[10]]
    together = MatchIndex(records)
    apart = MatchIndex()
    for record in records:
        apart.add(record)
    assert together.slot_count() == apart.slot_count()
    assert together._postings == apart._postings
    assert together._words == apart._words
    assert together._keys == apart._keys
    for name in ("several", "sorted_norm", "norm", "joined", "acronym", "weak", "zip", "street"):
        assert together.slot_column(name).tolist() == apart.slot_column(name).tolist()
    for name in ("domain", "ein", "phone", "address"):
        assert together.slot_column(name).tolist() == apart.slot_column(name).tolist()
