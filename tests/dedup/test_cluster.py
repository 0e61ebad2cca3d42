"""Clusters of flagged pairs: examples and properties (complete linkage, no chaining)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.dedup.cluster import Edge, cluster_pairs


def keys(clusters):
    return [c.members for c in clusters]


def test_a_chain_whose_ends_were_never_flagged_splits_at_its_weakest_link():
    edges = [Edge("A", "B", 95), Edge("B", "C", 72)]
    assert keys(cluster_pairs(edges)) == [("A", "B")]


def test_a_fully_linked_group_is_one_cluster_keyed_by_its_lowest_id():
    edges = [Edge(a, b, 80 + a + b) for a in range(1, 5) for b in range(a + 1, 5)]
    [cluster] = cluster_pairs(edges)
    assert cluster.members == (1, 2, 3, 4) and cluster.key == 1 and len(cluster) == 4
    assert cluster.best == 80 + 3 + 4


def test_a_conflict_inside_a_linked_group_keeps_the_two_apart():
    edges = [Edge(1, 2, 99), Edge(2, 3, 90), Edge(1, 3, 88)]
    assert keys(cluster_pairs(edges, conflicts=[(1, 3)])) == [(1, 2)]


def test_two_different_strong_identifiers_keep_records_apart():
    edges = [Edge(a, b, 90) for a in range(1, 5) for b in range(a + 1, 5)]
    eins = {
        1: {"ein": "111111111"},
        2: {"ein": "222222222"},
        3: {"ein": ""},
        4: {"ein": "111111111"},
    }
    assert keys(cluster_pairs(edges, identifiers=eins)) == [(1, 3, 4)]


def test_a_pair_the_scan_missed_is_asked_of_fill_for_small_groups():
    edges = [Edge(1, 2, 99), Edge(1, 3, 95), Edge(2, 3, 90), Edge(1, 4, 92), Edge(2, 4, 91)]
    asked = []

    def fill(a, b):
        asked.append((a, b))
        return 88.0 if (a, b) == (3, 4) else None

    assert keys(cluster_pairs(edges)) == [(1, 2, 3)]
    assert keys(cluster_pairs(edges, fill=fill)) == [(1, 2, 3, 4)]
    assert asked == [(3, 4)]
    assert keys(cluster_pairs(edges, fill=fill, fill_up_to=3)) == [(1, 2, 3)]


def test_two_separate_groups_come_strongest_first():
    edges = [Edge(10, 11, 75), Edge(1, 2, 90), Edge(1, 3, 80), Edge(2, 3, 85)]
    assert keys(cluster_pairs(edges)) == [(1, 2, 3), (10, 11)]


def test_a_self_pair_and_a_repeated_pair_count_once():
    edges = [Edge(1, 1, 100), Edge(1, 2, 70), Edge(2, 1, 90)]
    [cluster] = cluster_pairs(edges)
    assert cluster.members == (1, 2) and cluster.best == 90


# --- properties ------------------------------------------------------------------------------

ids = st.integers(min_value=1, max_value=12)
edge_lists = st.lists(
    st.builds(Edge, ids, ids, st.integers(min_value=70, max_value=100).map(float)), max_size=40
)
conflict_lists = st.lists(st.tuples(ids, ids).filter(lambda p: p[0] != p[1]), max_size=6)
ein_maps = st.dictionaries(ids, st.sampled_from(["", "111111111", "222222222"]), max_size=12)


def _flagged(edges):
    return {frozenset((e.left, e.right)) for e in edges if e.left != e.right}


@given(edge_lists, conflict_lists, ein_maps, st.sets(st.tuples(ids, ids), max_size=20))
@settings(max_examples=300)
def test_every_pair_inside_a_cluster_was_flagged_and_none_conflicts(edges, conflicts, eins, more):
    blocked = {frozenset(c) for c in conflicts}
    extra = {frozenset(p) for p in more}
    flagged = _flagged(edges) | extra
    identifiers = {k: {"ein": v} for k, v in eins.items()}

    def fill(a, b):
        return 80.0 if frozenset((a, b)) in extra else None

    found = cluster_pairs(edges, conflicts=conflicts, identifiers=identifiers, fill=fill)
    for cluster in found:
        assert len({eins.get(m) for m in cluster.members} - {"", None}) <= 1
        members = cluster.members
        assert len(members) >= 2
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                assert frozenset((a, b)) in flagged
                assert frozenset((a, b)) not in blocked


@given(edge_lists, conflict_lists)
@settings(max_examples=300)
def test_clusters_are_disjoint_and_cannot_be_joined(edges, conflicts):
    flagged, blocked = _flagged(edges), {frozenset(c) for c in conflicts}
    clusters = cluster_pairs(edges, conflicts=conflicts)
    seen = [m for c in clusters for m in c.members]
    assert len(seen) == len(set(seen))
    for i, first in enumerate(clusters):
        for second in clusters[i + 1 :]:
            joinable = all(
                frozenset((a, b)) in flagged and frozenset((a, b)) not in blocked
                for a in first.members
                for b in second.members
            )
            assert not joinable


@given(edge_lists, conflict_lists, st.randoms(use_true_random=False))
@settings(max_examples=200)
def test_the_order_of_the_pairs_does_not_matter(edges, conflicts, rnd: random.Random):
    shuffled = list(edges)
    rnd.shuffle(shuffled)
    flipped = [Edge(e.right, e.left, e.score) for e in shuffled]
    assert cluster_pairs(edges, conflicts=conflicts) == cluster_pairs(flipped, conflicts=conflicts)


@given(edge_lists)
@settings(max_examples=200)
def test_every_cluster_is_ordered_and_keyed_by_its_lowest_member(edges):
    clusters = cluster_pairs(edges)
    for c in clusters:
        assert list(c.members) == sorted(c.members) and c.key == c.members[0]
    bests = [c.best for c in clusters]
    assert bests == sorted(bests, reverse=True)
