"""Record-pair precision/recall/F1 of a full scan on clustered, labelled record lists.

    .venv/bin/python tests/dedup/cluster_eval.py la --split dev
    .venv/bin/python tests/dedup/cluster_eval.py la --split heldout
    .venv/bin/python tests/dedup/cluster_eval.py patstat FILE [--without-largest]
Add `--code DIR` to measure another copy of `crm/dedup` (e.g. the previous matcher exported
with `git archive`), `--train` to estimate the model on the list itself first (spreadsheet
mode), `-v` to list errors.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LA_SET = ROOT / "fixtures" / "dedup_la_sites.csv"


def load(kind: str, path: Path, split: str | None) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if kind == "patstat":
        return [
            {"id": r["person_id"], "cluster": r["cluster_id"], "name": r["raw_name"]} for r in rows
        ]
    return [
        {
            "id": r["record_id"],
            "cluster": r["cluster_id"],
            "name": r["name"],
            "website": r["website"],
            "phone": r["phone"],
            "street": r["street"],
            "zip": r["zip"],
        }
        for r in rows
        if split is None or r["split"] == split
    ]


def truth_pairs(rows: list[dict]) -> set[frozenset]:
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_cluster[row["cluster"]].append(row["id"])
    return {frozenset(p) for ids in by_cluster.values() for p in combinations(ids, 2)}


def prf(predicted: set[frozenset], truth: set[frozenset]) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(rows: list[dict], *, train: bool) -> list:
    from crm.dedup import MatchIndex, Record, scan

    records = [
        Record(
            id=r["id"],
            name=r["name"],
            website=r.get("website", ""),
            phone=r.get("phone", ""),
            street=r.get("street", ""),
            zip=r.get("zip", ""),
        )
        for r in rows
    ]
    if train:
        from crm.dedup.train import train as fit

        return scan(MatchIndex(records, model=fit(records, em="--em" in sys.argv)))
    return scan(MatchIndex(records))


def report(label: str, rows: list[dict], pairs: list, verbose: bool) -> None:
    truth = truth_pairs(rows)
    likely = {frozenset((p.left_id, p.right_id)) for p in pairs if p.level == "likely"}
    either = {frozenset((p.left_id, p.right_id)) for p in pairs}
    for name, predicted in (("LIKELY", likely), ("LIKELY+POSSIBLE", either)):
        p, r, f = prf(predicted, truth)
        print(f"  {label} record pairs, {name:15s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    # Distinct names: one pair per two different strings, true when they share a cluster.
    cluster_of = {row["id"]: row["cluster"] for row in rows}
    name_of = {row["id"]: row["name"] for row in rows}
    clusters_by_name: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        clusters_by_name[row["name"]].add(row["cluster"])
    names_in: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        names_in[row["cluster"]].add(row["name"])
    name_truth = {
        frozenset(p) for names in names_in.values() for p in combinations(sorted(names), 2)
    }
    for name, levels in (("LIKELY", {"likely"}), ("LIKELY+POSSIBLE", {"likely", "possible"})):
        found = {
            frozenset((name_of[p.left_id], name_of[p.right_id]))
            for p in pairs
            if p.level in levels and name_of[p.left_id] != name_of[p.right_id]
        }
        p, r, f = prf(found, name_truth)
        print(f"  {label} distinct names, {name:15s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if verbose:
        kinds = Counter()
        for pair in pairs:
            if pair.level == "likely" and cluster_of[pair.left_id] != cluster_of[pair.right_id]:
                kinds["false"] += 1
                print(
                    f"FALSE {name_of[pair.left_id]!r} | {name_of[pair.right_id]!r} {pair.reasons}"
                )
        missed = truth - likely
        for pair in list(missed)[:60]:
            a, b = sorted(pair)
            print(f"MISS {name_of[a]!r} | {name_of[b]!r}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["la", "patstat"])
    parser.add_argument("path", nargs="?")
    parser.add_argument("--split", choices=["dev", "heldout"])
    parser.add_argument("--without-largest", action="store_true")
    parser.add_argument("--code", help="directory holding another crm/dedup to measure")
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--em", action="store_true", help="with --train: m by EM as well")
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(args.code).resolve() if args.code else ROOT))
    path = Path(args.path) if args.path else LA_SET
    rows = load(args.kind, path, args.split)
    if args.without_largest:
        largest = Counter(r["cluster"] for r in rows).most_common(1)[0][0]
        rows = [r for r in rows if r["cluster"] != largest]
    start = time.perf_counter()
    pairs = run(rows, train=args.train)
    took = time.perf_counter() - start
    label = f"{args.kind}{'/' + args.split if args.split else ''}"
    print(f"{label}: {len(rows)} records, {len(truth_pairs(rows))} true pairs, scan {took:.1f} s")
    report(label, rows, pairs, args.v)


if __name__ == "__main__":
    main(sys.argv[1:])
