"""Precision and recall of the matcher on fixtures/dedup_devset.csv, per level.

Run `.venv/bin/python tests/dedup/devset_eval.py` (add `-v` to list every miss).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crm.dedup.index import Record
from crm.dedup.judge import compare
from crm.dedup.score import LIKELY, build_profile

DEVSET = ROOT / "fixtures" / "dedup_devset.csv"


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int


def _side(row: dict[str, str], side: str, record_id: str) -> Record:
    return Record(
        id=record_id,
        name=row[f"{side}_name"],
        website=row[f"{side}_website"],
        ein=row[f"{side}_ein"],
        phone=row[f"{side}_phone"],
        street=row[f"{side}_street"],
        zip=row[f"{side}_zip"],
    )


def judge(path: Path = DEVSET) -> list[tuple[dict[str, str], str | None, tuple[str, ...]]]:
    """Each devset row with the level the matcher gives it (None when not shown)."""
    out = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            verdict = compare(
                build_profile(_side(row, "left", "L")), build_profile(_side(row, "right", "R"))
            )
            out.append(
                (row, verdict.level if verdict else None, verdict.reasons if verdict else ())
            )
    return out


def measure(judged, *, likely_only: bool) -> Scores:
    """Precision/recall counting LIKELY only, or LIKELY and POSSIBLE, as 'duplicate'."""
    tp = fp = fn = 0
    for row, level, _ in judged:
        said = level == LIKELY if likely_only else level is not None
        truth = row["is_duplicate"] == "1"
        tp += said and truth
        fp += said and not truth
        fn += truth and not said
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Scores(precision, recall, tp, fp, fn)


def main(argv: list[str]) -> None:
    judged = judge()
    print(f"{len(judged)} labelled pairs from {DEVSET.relative_to(ROOT)}")
    for label, likely_only in (("LIKELY", True), ("LIKELY+POSSIBLE", False)):
        s = measure(judged, likely_only=likely_only)
        print(
            f"{label:16s} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})"  # noqa: E501
        )
    if "-v" in argv:
        for row, level, reasons in judged:
            truth = row["is_duplicate"] == "1"
            if truth != (level == LIKELY):
                tag = "MISS" if truth else "FALSE"
                print(
                    f"{tag} {level}: {row['left_name']!r} | {row['right_name']!r} [{row['kind']}] {reasons}"  # noqa: E501
                )


if __name__ == "__main__":
    main(sys.argv[1:])
