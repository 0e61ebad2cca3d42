"""Query batches split over forked worker processes that share the index copy-on-write."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Collection, Sequence
from typing import Protocol

from crm.dedup.record import Record
from crm.dedup.score import Match

__all__ = ["PARALLEL_CHUNK", "query_in_workers"]

PARALLEL_CHUNK = 250  # records per task when a batch is split over worker processes


class MatchIndex(Protocol):
    """What the workers need of `crm.dedup.index.MatchIndex` (which imports this module)."""

    def _query_block(
        self, records: Sequence[Record], *, limit: int, exclude_ids: Collection[str | int]
    ) -> list[list[Match]]: ...


# The index a forked worker process answers from: inherited from the parent, never pickled.
_worker_index: MatchIndex | None = None


def query_in_workers(
    index: MatchIndex, records: Sequence[Record], *, limit: int, workers: int
) -> list[list[Match]]:
    """`index.query_many`: with `workers` > 1 and a batch of several chunks, the chunks go to
    that many forked processes; where fork is not available the batch runs here."""
    chunks = [records[i : i + PARALLEL_CHUNK] for i in range(0, len(records), PARALLEL_CHUNK)]
    if workers <= 1 or len(chunks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return index._query_block(records, limit=limit, exclude_ids=())
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(chunks)), _adopt_index, (index,)) as pool:
        parts = pool.map(_query_chunk, [(chunk, limit) for chunk in chunks], chunksize=1)
    return [matches for part in parts for matches in part]


def _adopt_index(index: MatchIndex) -> None:
    global _worker_index
    _worker_index = index
    # The inherited heap is read-only here: a collection would walk every index object and
    # write to each one's header, copying the shared pages for nothing.
    gc.freeze()


def _query_chunk(task: tuple[Sequence[Record], int]) -> list[list[Match]]:
    records, limit = task
    assert _worker_index is not None
    return _worker_index._query_block(records, limit=limit, exclude_ids=())
