"""Scans stay blocked: 5k records finish quickly and no block is compared all-pairs past its cap."""

import random
import time

from crm.dedup import MatchIndex, Record, scan

PLACES = [
    "Burbank",
    "Pasadena",
    "Glendale",
    "Compton",
    "Pomona",
    "Whittier",
    "Downey",
    "Carson",
    "Azusa",
    "Covina",
    "Vernon",
    "Bell",
    "Lomita",
    "Malibu",
    "Venice",
    "Watts",
]
TOPICS = [
    "Youth",
    "Family",
    "Arts",
    "Food",
    "Housing",
    "Legal",
    "Senior",
    "Music",
    "Garden",
    "Literacy",
    "Dance",
    "Soccer",
    "Dental",
    "Vision",
    "Coding",
    "Robotics",
    "Theater",
]
KINDS = [
    "Center",
    "Alliance",
    "Coalition",
    "Network",
    "Project",
    "Collective",
    "Institute",
    "Clinic",
    "Academy",
    "Club",
    "League",
    "Council",
    "Guild",
    "Hub",
    "Lab",
    "Circle",
]


def synthetic(n: int) -> list[Record]:
    rng = random.Random(5)
    names = sorted({f"{p} {t} {k}" for p in PLACES for t in TOPICS for k in KINDS})
    rng.shuffle(names)
    records = [Record(i, name) for i, name in enumerate(names[:n])]
    for j in range(50):
        records.append(Record(f"dup{j}", records[j].name + " Inc."))
    return records


def test_scan_of_5k_is_blocked_and_finds_planted_pairs() -> None:
    records = synthetic(4350)
    index = MatchIndex(records)
    cap = 32
    lo, _, _ = index.candidate_pairs(block_cap=cap)
    n = len(index)
    assert len(lo) < n * n // 2 // 10  # far from the N x N matrix
    # Blocks within the cap give all their pairs, larger ones only sorted neighbours, so no
    # block contributes more than `cap` pairs per member.
    assert len(lo) <= sum(len(m) for m in index._postings.values()) * cap
    assert max(len(m) for m in index._postings.values()) > cap  # the cap was exercised
    start = time.perf_counter()
    pairs = scan(index, block_cap=cap)
    assert time.perf_counter() - start < 20
    found = {(p.left_id, p.right_id) for p in pairs}
    assert all((j, f"dup{j}") in found for j in range(50))
