"""Property tests: normalization is stable and the index behaves like a set of records."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.dedup import MatchIndex, Record, normalize_name, scan

WORDS = [
    "Boys",
    "Girls",
    "Club",
    "of",
    "Burbank",
    "LA",
    "Inc.",
    "The",
    "Center",
    "Ctr",
    "&",
    "Foundation",
    "St.",
    "Health",
    "Youth",
    "Arts",
    "(LAUSD)",
    "dba",
    "Café",
    "5",
    "First",
]
names = st.one_of(
    st.text(min_size=0, max_size=40),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join),
)


@given(names)
@settings(max_examples=300)
def test_normalize_is_idempotent(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once


@given(st.lists(names, min_size=1, max_size=12))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_query_never_returns_the_record_itself(all_names: list[str]) -> None:
    records = [Record(i, n) for i, n in enumerate(all_names)]
    index = MatchIndex(records)
    for record in records:
        assert all(m.id != record.id for m in index.query(record, limit=20))
        assert all(m.reasons for m in index.query(record, limit=20))


@given(st.lists(names, min_size=0, max_size=10), names)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_add_then_remove_leaves_index_unchanged(all_names: list[str], extra: str) -> None:
    index = MatchIndex(Record(i, n) for i, n in enumerate(all_names))
    probe = [Record("probe", n) for n in all_names[:3]] + [Record("probe", extra)]
    before = (
        [index.query(p, limit=20) for p in probe],
        scan(index),
        len(index),
        dict(index._postings),
    )
    index.add(Record("new", extra))
    index.remove("new")
    after = (
        [index.query(p, limit=20) for p in probe],
        scan(index),
        len(index),
        dict(index._postings),
    )
    assert before == after
