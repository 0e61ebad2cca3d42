"""Retrieval recall: does a query find each labelled duplicate hidden among 100k other partners?

`devset_eval.py` scores the labelled pairs head to head; this checks the index's blocking and
prefilter let each pair meet at all. Run `.venv/bin/python tests/dedup/devset_retrieval.py`.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "bench", ROOT / "tests" / "dedup"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_dedup import make_records
from devset_eval import DEVSET, _side

from crm.dedup.index import MatchIndex
from crm.dedup.score import build_profile, compare

BACKGROUND = 100_000


def main() -> None:
    start = time.perf_counter()
    records, _ = make_records(BACKGROUND)
    index = MatchIndex(records)
    pairs = []
    with DEVSET.open(encoding="utf-8-sig", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            left, right = _side(row, "left", f"L{n}"), _side(row, "right", f"R{n}")
            # Only pairs the scorer itself calls duplicates: the rest is devset_eval's business.
            if row["is_duplicate"] == "1" and compare(build_profile(left), build_profile(right)):
                pairs.append((left, right))
    for left, right in pairs:
        index.add(left)
        index.add(right)
    missed = [
        (query.name, target.name)
        for left, right in pairs
        for query, target in ((left, right), (right, left))
        if target.id not in {m.id for m in index.query(query, limit=10)}
    ]
    print(
        f"{2 * len(pairs) - len(missed)} of {2 * len(pairs)} queries found their labelled "
        f"duplicate among {BACKGROUND:,} others ({time.perf_counter() - start:.0f} s)"
    )
    for query, target in missed:
        print(f"  missed: {query!r} -> {target!r}")


if __name__ == "__main__":
    main()
