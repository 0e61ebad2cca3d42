"""Matching behaviour on hand-picked positives and hard negatives."""

import multiprocessing
from dataclasses import replace

import pytest

from crm.dedup import LIKELY, POSSIBLE, MatchIndex, Record, describe, match_one, scan
from crm.dedup.judge import compare, signed
from crm.dedup.levels import DOMAIN, EIN, N_EXACT, NAME
from crm.dedup.model import default_model, probability_of
from crm.dedup.score import build_profile


def weight(comparison: int, level: int) -> str:
    return signed(default_model().weight(comparison, level))


def level_of(a: Record, b: Record) -> str | None:
    found = MatchIndex([b]).query(a)
    return found[0].level if found else None


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (Record(1, "LAUSD"), Record(2, "Los Angeles Unified School District")),
        (Record(1, "KCRW"), Record(2, "KCRW Foundation")),
        (Record(1, "YMCA"), Record(2, "Young Men's Christian Association")),
        (Record(1, "LA County DMH"), Record(2, "Los Angeles County Department of Mental Health")),
        (Record(1, "VOALA"), Record(2, "Volunteers of America Los Angeles")),
    ],
)
def test_an_acronym_is_shown_and_one_agreeing_field_makes_it_likely(
    left: Record, right: Record
) -> None:
    assert level_of(left, right) in (POSSIBLE, LIKELY)
    phone = "(213) 482-1000"
    assert level_of(replace(left, phone=phone), replace(right, phone=phone)) == LIKELY


def test_a_bare_acronym_and_an_unrelated_name_at_another_site_are_not_duplicates() -> None:
    left = Record(1, "ASE", phone="(626) 795-2300", street="100 Main St", zip="91101")
    right = Record(
        2,
        "Academy of Scientific Exploration",
        phone="(213) 480-4000",
        street="5 Oak Ave",
        zip="90012",
    )
    assert level_of(left, right) is None


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (
            Record(1, "The Boys & Girls Club of Burbank, Inc."),
            Record(2, "Boys and Girls Club of Burbnk"),
        ),
        (Record(1, "St. Joseph Ctr"), Record(2, "Saint Joseph Center")),
        (Record(1, "Acme LLC dba Sunrise Kids"), Record(2, "Sunrise Kids")),
        (Record(1, "Food Bank of LA Regional"), Record(2, "Los Angeles Regional Food Bank")),
        (
            Record(1, "Union Rescue Mission", website="urm.org"),
            Record(2, "Union Rescue Mission LA", website="https://www.urm.org/"),
        ),
        (Record(1, "Old Name", aliases=("Heart of Los Angeles",)), Record(2, "Heart of LA")),
    ],
)
def test_likely_duplicates(left: Record, right: Record) -> None:
    assert level_of(left, right) == LIKELY


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (Record(1, "Boys & Girls Club of Burbank"), Record(2, "Boys & Girls Club of Pasadena")),
        (Record(1, "First 5 LA"), Record(2, "First 5 California")),
        (
            Record(1, "Los Angeles Unified School District"),
            Record(2, "Los Angeles County Office of Education"),
        ),
        (
            Record(1, "LAUSD Local District 5", website="lausd.net"),
            Record(2, "LAUSD Local District 6", website="lausd.net"),
        ),
        (Record(1, "Weingart Foundation"), Record(2, "Weingart Center Association")),
        (Record(1, "Dental Workshop of Tarzana"), Record(2, "Mental Health Workshop of Tarzana")),
        (Record(1, "Garden Institute of Montebello"), Record(2, "Garden Institute of El Monte")),
        (Record(1, "Smith Foundation"), Record(2, "Smith")),
    ],
)
def test_hard_negatives_are_never_likely(left: Record, right: Record) -> None:
    assert level_of(left, right) != LIKELY


def test_fiscal_sponsor_siblings_sharing_ein_are_not_likely() -> None:
    # The sponsor's EIN and switchboard are on every project: the data shows they are shared
    # by several names, which takes most of their weight away.
    left = Record(
        1, "Community Partners – Youth Arts Project", ein="95-4418811", phone="213-346-3200"
    )
    siblings = [
        Record(i, f"Community Partners – {topic} Project", ein="954418811", phone="(213) 346-3200")
        for i, topic in enumerate(["Health Access", "Food Justice", "Literacy"], start=2)
    ]
    found = MatchIndex(siblings).query(left)
    assert found and all(m.level == POSSIBLE for m in found)
    assert any(r.startswith("same EIN +") for r in found[0].reasons)
    assert any(r.startswith("EIN shared by 4 different names −") for r in found[0].reasons)


def test_same_ein_lifts_a_near_name() -> None:
    found = MatchIndex([Record(2, "Alliance for Childrens Rights", ein="95-1234567")]).query(
        Record(1, "Alliance for Children's Rights Inc", ein="951234567")
    )
    assert found[0].level == LIKELY
    assert found[0].reasons[0] == f"same name after removing 'Inc' {weight(NAME, N_EXACT)}"
    assert f"same EIN {weight(EIN, 0)}" in found[0].reasons


def test_generic_hosts_do_not_count_as_same_website() -> None:
    a = Record(1, "Sunrise Youth Center", website="https://facebook.com/sunrise")
    b = Record(2, "Harbor Food Pantry", website="https://facebook.com/harbor")
    assert MatchIndex([b]).query(a) == []


def test_reasons_and_describe() -> None:
    index = MatchIndex([Record("b", "Boys & Girls Club of Burbank", website="bgcburbank.org")])
    found = index.query(
        Record("a", "Boys and Girls Club of Burbank, Inc.", website="http://www.bgcburbank.org/x")
    )
    model = default_model()
    total = model.prior_weight + model.weight(NAME, N_EXACT) + model.weight(DOMAIN, 0)
    assert found[0].reasons[:2] == (
        f"same name after removing 'Inc.' {weight(NAME, N_EXACT)}",
        f"same website domain (bgcburbank.org) {weight(DOMAIN, 0)}",
    )
    assert found[0].reasons[2].startswith(f"total {signed(total)} (probability ")
    assert found[0].weight == pytest.approx(total, abs=0.01)
    assert found[0].probability == pytest.approx(probability_of(total))
    assert describe(found[0]).startswith(
        f"likely duplicate ({found[0].score:g}%): same name after removing 'Inc.' +"
    )


def test_query_never_returns_itself_and_honours_exclusions() -> None:
    records = [
        Record(1, "Venice Family Clinic"),
        Record(2, "Venice Family Clinic Inc"),
        Record(3, "Venice Family Clinc"),
    ]
    index = MatchIndex(records)
    assert [m.id for m in index.query(records[0])] == [2, 3]
    assert [m.id for m in index.query(records[0], exclude_ids={2})] == [3]
    assert match_one(index, records[0], limit=1)[0].id == 2
    assert index.query(records[0], min_level=LIKELY)


def test_add_replaces_and_remove_forgets() -> None:
    index = MatchIndex([Record(1, "Venice Family Clinic")])
    index.add(Record(1, "Heart of Los Angeles"))
    assert len(index) == 1 and 1 in index
    assert index.query(Record(9, "Venice Family Clinic")) == []
    assert index.query(Record(9, "Heart of LA"))[0].id == 1
    index.remove(1)
    assert len(index) == 0 and 1 not in index
    assert index.query(Record(9, "Heart of LA")) == []


def test_query_many_matches_query() -> None:
    index = MatchIndex(
        [
            Record(i, n)
            for i, n in enumerate(["Venice Family Clinic", "Heart of Los Angeles", "LAUSD"])
        ]
    )
    queries = [
        Record("q1", "Venice Famly Clinic"),
        Record("q2", "Los Angeles Unified School District"),
        Record("q3", "Nothing Alike"),
    ]
    assert index.query_many(queries) == [index.query(q) for q in queries]


def test_query_many_over_worker_processes_gives_the_same_answers(monkeypatch) -> None:
    names = ["Venice Family Clinic", "Heart of Los Angeles", "LAUSD", "Boys & Girls Club"]
    index = MatchIndex([Record(i, n) for i, n in enumerate(names)])
    queries = [
        Record(f"q{i}", n) for i, n in enumerate(["Venice Famly Clinic", "Boys and Girls"] * 5)
    ]
    monkeypatch.setattr("crm.dedup.parallel.PARALLEL_CHUNK", 3)
    spawned = []
    real_pool = multiprocessing.get_context("fork").Pool

    def pool(*args, **kwargs):
        spawned.append(args[0])
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", staticmethod(pool))
    assert index.query_many(queries, workers=2) == [index.query(q) for q in queries]
    assert spawned == [2]
    assert index.query_many(queries, workers=1) == [index.query(q) for q in queries]
    assert spawned == [2]


def test_scan_orders_pairs_by_index_order_and_score() -> None:
    index = MatchIndex(
        [
            Record("z", "Venice Family Clinic"),
            Record("a", "Venice Family Clinic, Inc."),
            Record("m", "LAUSD"),
            Record("b", "Los Angeles Unified School District"),
            Record("c", "Heart of Los Angeles"),
        ]
    )
    seen = []
    pairs = scan(index, progress=lambda done, total: seen.append((done, total)))
    assert [(p.left_id, p.right_id) for p in pairs] == [("z", "a"), ("m", "b")]
    assert pairs[0].score >= pairs[1].score
    assert all(p.reasons for p in pairs)
    assert seen and seen[-1][0] == seen[-1][1]


@pytest.mark.parametrize(
    "aliases", [("BGC Burbank",), ("LAUSD",), ("BGCB", "Boys and Girls Club Burbank")]
)
def test_scan_never_pairs_a_record_with_itself(aliases: tuple[str, ...]) -> None:
    # An alias that is the record's own acronym puts it on both sides of an acronym block.
    index = MatchIndex(
        [
            Record(1, "Boys & Girls Club of Burbank", aliases=aliases),
            Record(2, "Los Angeles Unified School District", aliases=aliases[:1]),
            Record(3, "Heart of Los Angeles"),
        ]
    )
    assert all(p.left_id != p.right_id for p in scan(index))


def test_suggest_prefix_alias_and_typo() -> None:
    index = MatchIndex(
        [
            Record(1, "Boys & Girls Club of Burbank"),
            Record(2, "Boys & Girls Club of Pasadena"),
            Record(3, "New Name", aliases=("Heart of Los Angeles",)),
            Record(4, "Los Angeles County Department of Mental Health"),
        ]
    )
    assert {m.id for m in index.suggest("boys & gir")} == {1, 2}
    assert index.suggest("boys girls pasa")[0].id == 2
    assert index.suggest("heart of")[0].id == 3
    assert index.suggest("mentl helth")[0].id == 4
    assert index.suggest("") == []


def test_initials_that_several_names_spell_lose_their_weight() -> None:
    names = ["Academy of Scientific Exploration", "Arts and Science Exchange", "Alhambra Soccer Es"]
    index = MatchIndex([Record(i, n) for i, n in enumerate(names)])
    assert index.query(Record("q", "ASE")) == []
    verdict = compare(
        build_profile(Record("q", "ASE")), index.profile_at(0), stats=index, floor=None
    )
    assert any(r.startswith("initials 'ASE' fit 3 names −") for r in verdict.reasons)
    assert verdict.level is None
