"""Group scored duplicate pairs into clusters of records that look like one organization.

Complete linkage: two groups join only if every pair across them was flagged and none conflicts,
so a chain A~B~C whose ends were never flagged (or clearly differ) does not become one cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Cluster", "Edge", "cluster_pairs"]

Id = Hashable


@dataclass(frozen=True, slots=True)
class Edge:
    """A flagged pair (at least "possible") and its score."""

    left: Id
    right: Id
    score: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """Records that look like one organization; `key` is the lowest member id."""

    key: Id
    members: tuple[Id, ...]
    best: float

    def __len__(self) -> int:
        return len(self.members)


def _pair(a: Id, b: Id) -> frozenset:
    return frozenset((a, b))


def _sort_key(value: Id) -> tuple:
    # Ids of one kind sort naturally; the type name keeps mixed kinds comparable.
    return (type(value).__name__, value)


def _differ(first: Mapping[str, str], second: Mapping[str, str]) -> bool:
    """Whether two records hold different values of one strong identifier (e.g. two EINs)."""
    return any(
        value and second.get(kind) and second[kind] != value for kind, value in first.items()
    )


def cluster_pairs(
    edges: Iterable[Edge],
    *,
    conflicts: Iterable[Iterable[Id]] = (),
    identifiers: Mapping[Id, Mapping[str, str]] | None = None,
    fill: Callable[[Id, Id], float | None] | None = None,
    fill_up_to: int = 25,
) -> list[Cluster]:
    """Clusters of two or more records, strongest first.

    Edges are taken strongest first; the groups of its two ends merge only when every pair
    across them is itself an edge, no pair is in `conflicts` (pairs known to differ, such as a
    "not a duplicate" decision) and no pair holds different values of one identifier in
    `identifiers` ({record id: {kind: normalized value}}, e.g. two EINs). The result does not
    depend on the order of `edges`, and no two clusters returned could be joined that way.

    A scan's blocking can miss a pair that a direct comparison would flag. `fill(x, y)` (the
    score of a direct comparison, or None below "possible") is asked about such pairs while
    the joined group would have at most `fill_up_to` records; larger groups rely on the edges.
    """
    score: dict[frozenset, float] = {}
    for edge in edges:
        if edge.left == edge.right:
            continue
        key = _pair(edge.left, edge.right)
        score[key] = max(score.get(key, float("-inf")), float(edge.score))
    blocked = {frozenset(c) for c in conflicts}
    known = identifiers or {}

    filled: dict[frozenset, float | None] = {}

    def linked(pair: frozenset, size: int) -> bool:
        if pair in score:
            return True
        if fill is None or size > fill_up_to:
            return False
        if pair not in filled:
            filled[pair] = fill(*sorted(pair, key=_sort_key))
        return filled[pair] is not None

    def apart(x: Id, y: Id, size: int) -> bool:
        pair = _pair(x, y)
        if pair in blocked or not linked(pair, size):
            return True
        return bool(known.get(x) and known.get(y) and _differ(known[x], known[y]))

    ordered = sorted(
        score.items(),
        key=lambda item: (-item[1], sorted(_sort_key(x) for x in item[0])),
    )
    group_of: dict[Id, list[Id]] = {}
    for pair, _ in ordered:
        if pair in blocked:
            continue
        a, b = sorted(pair, key=_sort_key)
        left = group_of.setdefault(a, [a])
        right = group_of.setdefault(b, [b])
        if left is right:
            continue
        size = len(left) + len(right)
        if any(apart(x, y, size) for x in left for y in right):
            continue
        left.extend(right)
        for member in right:
            group_of[member] = left
    seen: set[int] = set()
    clusters = []
    for group in group_of.values():
        if id(group) in seen or len(group) < 2:
            continue
        seen.add(id(group))
        members = tuple(sorted(group, key=_sort_key))
        best = max(
            score.get(_pair(x, y), filled.get(_pair(x, y)) or float("-inf"))
            for i, x in enumerate(members)
            for y in members[i + 1 :]
        )
        clusters.append(Cluster(key=members[0], members=members, best=best))
    clusters.sort(key=lambda c: (-c.best, -len(c), _sort_key(c.key)))
    return clusters
