"""Before/after check of matcher speed work: the same fixed workloads under two source trees.

Run `.venv/bin/python tests/dedup/speed_equivalence.py BASE [HEAD]` (git refs; HEAD defaults to
the working tree). Each tree runs queries, scans, a spreadsheet scan and training on fixed
samples in its own process; every score, level, reason and trained parameter must be equal.
"""

from __future__ import annotations

import csv
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def workloads(root: str, out: str) -> None:
    """Run every workload with the `crm` found under `root`; pickle the answers to `out`."""
    sys.path.insert(0, root)
    from crm.dedup import MatchIndex, Record, scan
    from crm.dedup.csvscan import scan_csv
    from crm.dedup.train import train

    sys.path.insert(1, str(ROOT / "bench"))
    sys.path.insert(1, str(ROOT / "tests" / "dedup"))
    from bench_dedup import make_records, messy_rows, query_set, variant
    from samples import la_sites, labelled_pairs

    def rows(found: list) -> list[tuple]:
        return [tuple(getattr(x, f) for f in x.__slots__) for x in found]

    answers: dict[str, object] = {}
    records, _ = make_records(20_000)
    index = MatchIndex(records)
    rng = random.Random(7)
    asked = query_set(records, 400, rng)
    picks = rng.sample(records, 400)
    asked += [
        Record(f"f{i}", variant(r.name, rng), website=r.website, phone=r.phone)
        for i, r in enumerate(picks)
    ]
    asked += picks[:100]  # ids in the index: never their own match
    answers["bench queries"] = [rows(index.query(q, limit=10)) for q in asked]
    skip = [r.id for r in picks[:50]]
    answers["bench queries, excluding"] = [
        rows(index.query(q, limit=10, exclude_ids=skip)) for q in asked[:200]
    ]
    answers["bench scan"] = rows(scan(MatchIndex(records[:10_000])))

    la = la_sites(root=root)
    half = MatchIndex(la[: len(la) // 2])
    answers["LA scan"] = rows(scan(MatchIndex(la)))
    answers["LA queries"] = [rows(half.query(r, limit=10)) for r in la[len(la) // 2 :]]
    for em in (False, True):
        model = train(la, em=em).to_dict()
        model.pop("trained_at")
        answers[f"LA training (em={em})"] = model

    labelled = labelled_pairs(root=root)
    answers["labelled scan"] = rows(scan(MatchIndex(labelled)))
    whole = MatchIndex(labelled)
    answers["labelled queries"] = [rows(whole.query(r, limit=10)) for r in labelled]

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/messy.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "phone", "zip"])
            writer.writerows(messy_rows(20_000))
        answers["spreadsheet scan, trained on the file"] = rows(
            scan_csv(
                stream=path,
                id_column="id",
                name_column="name",
                phone_column="phone",
                zip_column="zip",
            )
        )
    model = train(records, em=True).to_dict()
    model.pop("trained_at")
    answers["bench training (em)"] = model
    with open(out, "wb") as handle:
        pickle.dump(answers, handle)


def tree(ref: str | None, into: str) -> str:
    """A source tree of `ref` (None: the working tree)."""
    if ref is None:
        return str(ROOT)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", into], input=archive, check=True)
    return into


def main() -> None:
    if sys.argv[1] == "--run":
        workloads(sys.argv[2], sys.argv[3])
        return
    base, head = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, ref in (("base", base), ("head", head)):
            Path(f"{tmp}/{name}").mkdir()
            root = tree(ref, f"{tmp}/{name}")
            out = f"{tmp}/{name}.pickle"
            subprocess.run([sys.executable, __file__, "--run", root, out], check=True)
            with open(out, "rb") as handle:
                results.append(pickle.load(handle))
    before, after = results
    differ = 0
    for key, value in before.items():
        same = after.get(key) == value
        differ += not same
        size = f"{len(value):,} answers" if isinstance(value, list) else "model"
        print(f"{'same' if same else 'DIFFERENT':9} {key} ({size})")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
