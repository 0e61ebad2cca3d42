"""Lists that repeat names: spaced initials, legal forms, repeated rows and typo variants."""

from itertools import combinations

import pytest

from crm.dedup import LIKELY, POSSIBLE, MatchIndex, Record, scan
from crm.dedup.judge import compare
from crm.dedup.match import EXPAND_CAP
from crm.dedup.normalize import normalize_name
from crm.dedup.score import build_profile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AKZO NOBEL N. V.", "akzo nobel"),
        ("DSM N..V", "dsm"),
        ("D S M IP Assets B.V.", "dsm ip assets"),
        ("Y M C A", "ymca"),
        ("UNILEVER N.V., VLAARDINGEN, NL", "unilever"),
        ("Boys & Girls Club, Inc., Pasadena", "boys and girls club"),
        ("Siemens GmbH", "siemens"),
        # One initial is a middle initial, not an acronym; a place after a comma without a
        # legal form stays part of the name.
        ("Jose A. Smith Center", "jose a smith center"),
        ("Garden Institute, El Monte", "garden institute el monte"),
    ],
)
def test_spaced_initials_and_legal_forms(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected
    assert normalize_name(expected) == expected


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("KONINKL PHILIPS ELECTRONICS N.V.", "KONINKLIJKE PHILIPS ELECTRONICS, N.V.", LIKELY),
        ("Unite Univ Foundation", "Unite University Foundation", LIKELY),
        # Much shorter, so less alike: the same words, but only worth a look.
        ("HUNTER DOUGLAS IND BV", "Hunter Douglas Industries BV", POSSIBLE),
    ],
)
def test_words_cut_short_read_as_the_same_word(left: str, right: str, level: str) -> None:
    verdict = compare(build_profile(Record(1, left)), build_profile(Record(2, right)))
    assert verdict is not None and verdict.level == level


def test_a_cut_word_does_not_hide_another_difference() -> None:
    left, right = "Garden Institute of Montebello", "Garden Institute of El Monte"
    verdict = compare(build_profile(Record(1, left)), build_profile(Record(2, right)))
    assert verdict is None or verdict.level != LIKELY


def _filler(count: int) -> list[Record]:
    # Distinct unrelated names so the index is big enough for term frequencies to apply.
    return [Record(f"f{i}", f"Filler Organization {i:05d} Tlaloc{i}") for i in range(count)]


def test_rows_repeating_one_name_are_all_paired_and_do_not_make_it_common() -> None:
    rows = [Record(f"r{i}", "Marlowe Robotics B.V.") for i in range(80)]
    rows += [Record(f"s{i}", "MARLOWE ROBOTICS N. V.") for i in range(40)]
    index = MatchIndex(rows + _filler(1000))
    pairs = scan(index)
    found = {frozenset((p.left_id, p.right_id)) for p in pairs if p.level == LIKELY}
    ids = [r.id for r in rows]
    assert found >= {frozenset(p) for p in combinations(ids, 2)}
    assert not any("common name" in reason for p in pairs for reason in p.reasons)


def test_a_huge_group_of_one_name_becomes_a_star_not_every_pair() -> None:
    size = 330  # more than EXPAND_CAP pairs inside the group
    assert size * (size - 1) // 2 > EXPAND_CAP
    rows = [Record(f"r{i:04d}", "Tlaloc Community Kitchen") for i in range(size)]
    pairs = scan(MatchIndex(rows))
    assert len(pairs) == size - 1
    assert {p.left_id for p in pairs} == {"r0000"}


def test_typo_variants_of_one_name_are_not_penalised_as_common() -> None:
    spellings = [
        "Shell Internationale Research Maatschappij",
        "Shell International Research Maatschappij",
        "Shell Internationale Research Maatshappij",
        "Shell Internationale Reserach Maatschappij",
        "Shell Internationale Research Maatscappij",
        "Shell Internationale Research Maatschappy",
    ]
    rows = [Record(f"v{i}", name) for i, name in enumerate(spellings)]
    index = MatchIndex(rows + _filler(1000))
    found = {frozenset((p.left_id, p.right_id)) for p in scan(index) if p.level == LIKELY}
    assert frozenset(("v0", "v1")) in found


def test_training_on_a_list_that_repeats_its_names_keeps_names_strong() -> None:
    from crm.dedup.levels import N_EXACT, NAME
    from crm.dedup.model import default_model
    from crm.dedup.train import train

    # Two organizations fill half the list: random pairs often share a name.
    rows = [Record(f"a{i}", "Tlaloc Community Kitchen") for i in range(300)]
    rows += [Record(f"b{i}", "Marlowe Robotics") for i in range(300)]
    rows += _filler(600)
    model = train(rows, candidate_sample=5000, random_sample=5000)
    assert model.weight(NAME, N_EXACT) == pytest.approx(default_model().weight(NAME, N_EXACT))
    pairs = scan(MatchIndex(rows, model=model))
    assert sum(p.level == LIKELY for p in pairs) >= 2 * (300 * 299 // 2)
