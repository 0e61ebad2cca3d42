"""The labelled fixture files as matcher records, for tests and scripts under tests/dedup."""

from __future__ import annotations

import csv
from pathlib import Path

from crm.dedup.record import Record

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _rows(name: str, root: Path | str | None) -> list[dict[str, str]]:
    folder = Path(root) / "fixtures" if root is not None else FIXTURES
    with (folder / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def la_sites(split: str | None = None, *, root: Path | str | None = None) -> list[Record]:
    """fixtures/dedup_la_sites.csv (one split, or all of it)."""
    return [
        Record(
            r["record_id"],
            r["name"],
            website=r["website"],
            phone=r["phone"],
            street=r["street"],
            zip=r["zip"],
        )
        for r in _rows("dedup_la_sites.csv", root)
        if split is None or r["split"] == split
    ]


def labelled_pairs(*, root: Path | str | None = None) -> list[Record]:
    """Both sides of every pair of fixtures/dedup_devset.csv, as left<i> and right<i>."""
    return [
        Record(
            f"{side}{i}",
            row[f"{side}_name"],
            website=row[f"{side}_website"],
            ein=row[f"{side}_ein"],
            phone=row[f"{side}_phone"],
            street=row[f"{side}_street"],
            zip=row[f"{side}_zip"],
        )
        for i, row in enumerate(_rows("dedup_devset.csv", root))
        for side in ("left", "right")
    ]
