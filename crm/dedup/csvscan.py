"""Scan a raw CSV export for duplicate organizations and write the pairs back out as CSV.

Backs `manage.py find_duplicates --csv`; tolerant of BOMs, ragged whitespace and empty cells.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, TextIO

from crm.dedup.cluster import Cluster
from crm.dedup.identifiers import normalize_zip
from crm.dedup.index import MatchIndex
from crm.dedup.match import scan
from crm.dedup.model import MatchModel
from crm.dedup.record import Record
from crm.dedup.score import Pair
from crm.dedup.train import train

__all__ = ["read_records", "scan_csv", "write_pairs"]

HEADER = ("left_id", "right_id", "score", "level", "reasons", "probability")
# Below this many rows the file says too little to estimate the model; the defaults are used.
TRAIN_AT = 1000
TRAIN_PAIRS = 30_000  # random and candidate pairs sampled when training on the file
_ZIP_AT_END = re.compile(r"\b\d{5}(?:-\d{4})?\s*$")


def _text_stream(stream: TextIO | BinaryIO | str | os.PathLike[str]) -> tuple[TextIO, bool]:
    if isinstance(stream, (str, os.PathLike)):
        # utf-8-sig drops a BOM when present and reads plain UTF-8 otherwise.
        return open(stream, encoding="utf-8-sig", newline=""), True
    if isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding"):
        return stream, False  # type: ignore[return-value]
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""), False  # type: ignore[arg-type]


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def read_records(
    *,
    stream: TextIO | BinaryIO | str | os.PathLike[str],
    id_column: str,
    name_column: str,
    website_column: str | None = None,
    address_column: str | None = None,
    zip_column: str | None = None,
    phone_column: str | None = None,
    ein_column: str | None = None,
) -> list[Record]:
    """Records from a CSV; raises ValueError naming any requested column the header lacks."""
    text, owned = _text_stream(stream)
    try:
        reader = csv.DictReader(text)
        header = [_clean(h).lstrip("\ufeff") for h in (reader.fieldnames or [])]
        wanted = {
            "id_column": id_column,
            "name_column": name_column,
            "website_column": website_column,
            "address_column": address_column,
            "zip_column": zip_column,
            "phone_column": phone_column,
            "ein_column": ein_column,
        }
        lookup = {h.casefold(): i for i, h in enumerate(header)}
        index_of: dict[str, int] = {}
        for option, column in wanted.items():
            if column is None:
                continue
            position = lookup.get(_clean(column).casefold())
            if position is None:
                shown = ", ".join(header) or "(no header row)"
                raise ValueError(f"CSV has no column {column!r} ({option}); columns are: {shown}")
            index_of[option] = position
        raw_names = reader.fieldnames or []
        records: list[Record] = []
        for row in reader:

            def cell(option: str, row: dict = row) -> str:
                position = index_of.get(option)
                return _clean(row.get(raw_names[position])) if position is not None else ""

            record_id, name = cell("id_column"), cell("name_column")
            if not record_id or not name:
                continue
            address = cell("address_column")
            zip_code = cell("zip_column")
            if not zip_code and _ZIP_AT_END.search(address):
                zip_code = normalize_zip(_ZIP_AT_END.search(address).group(0))
            records.append(
                Record(
                    id=record_id,
                    name=name,
                    website=cell("website_column"),
                    ein=cell("ein_column"),
                    phone=cell("phone_column"),
                    street=address.split(",", 1)[0],
                    zip=zip_code,
                )
            )
        return records
    finally:
        if owned:
            text.close()


def scan_csv(
    *,
    stream: TextIO | BinaryIO | str | os.PathLike[str],
    id_column: str,
    name_column: str,
    website_column: str | None = None,
    address_column: str | None = None,
    zip_column: str | None = None,
    phone_column: str | None = None,
    ein_column: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    model: MatchModel | None = None,
) -> list[Pair]:
    """All candidate duplicate pairs among the CSV's rows, best first. Without `model`, the
    model is estimated on the file itself (from TRAIN_AT rows; the defaults below that)."""
    with collector_paused():
        return _scan_file(
            stream=stream,
            id_column=id_column,
            name_column=name_column,
            website_column=website_column,
            address_column=address_column,
            zip_column=zip_column,
            phone_column=phone_column,
            ein_column=ein_column,
            progress=progress,
            model=model,
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run with the cyclic garbage collector paused. A scan builds millions of long-lived
    objects and no reference cycles; collections during it only walk them again and again
    (a fifth of a 100k-row scan's time). Reference counting still frees everything."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _scan_file(
    *,
    stream: TextIO | BinaryIO | str | os.PathLike[str],
    id_column: str,
    name_column: str,
    website_column: str | None,
    address_column: str | None,
    zip_column: str | None,
    phone_column: str | None,
    ein_column: str | None,
    progress: Callable[[int, int], None] | None,
    model: MatchModel | None,
) -> list[Pair]:
    records = read_records(
        stream=stream,
        id_column=id_column,
        name_column=name_column,
        website_column=website_column,
        address_column=address_column,
        zip_column=zip_column,
        phone_column=phone_column,
        ein_column=ein_column,
    )
    index = MatchIndex(records, model=model)
    if model is None and len(records) >= TRAIN_AT:
        # Profiles and blocks do not depend on the model: one index serves both steps.
        index.model = train(
            records, candidate_sample=TRAIN_PAIRS, random_sample=TRAIN_PAIRS, index=index
        )
    return scan(index, progress=progress)


def write_pairs(
    pairs: Iterable[Pair],
    out: TextIO | BinaryIO | str | os.PathLike[str],
    *,
    clusters: Iterable[Cluster] | None = None,
) -> int:
    """Write `pairs` as CSV (header left_id,right_id,score,level,reasons,probability); returns
    rows written. With `clusters`, a last column cluster_id holds the cluster's key (its lowest
    record id) when both records of the pair are in that cluster, and stays empty otherwise.
    """
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return write_pairs(pairs, handle, clusters=clusters)
    if not (isinstance(out, io.TextIOBase) or hasattr(out, "encoding")):
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)  # type: ignore[arg-type]
        try:
            return write_pairs(pairs, wrapper, clusters=clusters)
        finally:
            wrapper.flush()
            wrapper.detach()
    key_of = None if clusters is None else {m: c.key for c in clusters for m in c.members}
    writer = csv.writer(out)
    writer.writerow(HEADER if key_of is None else (*HEADER, "cluster_id"))
    count = 0
    for pair in pairs:
        row = [
            pair.left_id,
            pair.right_id,
            f"{pair.score:g}",
            pair.level,
            "; ".join(_cell(r) for r in pair.reasons),
            f"{pair.probability:.4f}",
        ]
        if key_of is not None:
            key = key_of.get(pair.left_id)
            row.append(key if key is not None and key == key_of.get(pair.right_id) else "")
        writer.writerow(row)
        count += 1
    return count


def _cell(text: str) -> str:
    # A reason quotes names from the file; a leading = + - @ would run as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
