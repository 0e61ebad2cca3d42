"""What one worker pays for the matcher index: build time and resident memory at N partners.

  .venv/bin/python bench/load/index_memory.py 10000 100000

Each size is built in a fresh process from synthetic records (as the server builds it from the
database, less the query), so the figures are per web worker without --preload.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    text = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1)) / 1024


def one(n: int) -> None:
    import gc

    from bench_dedup import make_names

    from crm.dedup.index import MatchIndex
    from crm.dedup.record import Record

    rng = random.Random(7)
    records = [
        Record(id=i, name=name, website=f"https://org{i}.example.org", phone=f"213555{i:04d}"[-10:])
        for i, name in enumerate(make_names(n, rng))
    ]
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index = MatchIndex(records)
    built = time.perf_counter() - started
    gc.collect()
    print(
        f"{n:>9,} partners: build {built:6.1f} s, "
        f"index memory {rss_mb() - before:7.0f} MB ({len(index):,} filed)"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    if len(sizes) == 1 and "--one" not in sys.argv:
        one(sizes[0])
        return
    for n in sizes:
        subprocess.run([sys.executable, __file__, str(n)], check=True)


if __name__ == "__main__":
    main()
