"""Put a partner created over the matcher's warning straight into the duplicate review queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from crm.dedup.score import LIKELY, POSSIBLE
from crm.models import DuplicateCandidate

FLAGGED = (LIKELY, POSSIBLE)


def duplicate_candidates_add(
    *, partner_id: int, found: Iterable[tuple[int, float, str, Sequence[str]]]
) -> int:
    """Queue (partner, other) for each (other id, score, level, reasons) flagged at least
    "possible"; a pair already in the queue, decided or not, is left as it is. Returns how many
    pairs were added.

    Called by the create services when a person chose "Create anyway", so the pair is reviewed
    without waiting for the next scan. The caller has already checked its own permission.
    """
    rows = {}
    for other, score, level, reasons in found:
        if level not in FLAGGED or int(other) == partner_id:
            continue
        left, right = sorted((partner_id, int(other)))
        if (left, right) not in rows:
            rows[(left, right)] = DuplicateCandidate(
                left_id=left,
                right_id=right,
                score=round(float(score), 2),
                level=level,
                reasons=list(reasons),
            )
    if not rows:
        return 0
    taken = set(
        DuplicateCandidate.objects.filter(
            left_id__in={k[0] for k in rows}, right_id__in={k[1] for k in rows}
        ).values_list("left_id", "right_id")
    )
    fresh = [c for key, c in rows.items() if key not in taken]
    DuplicateCandidate.objects.bulk_create(fresh, batch_size=1000)
    return len(fresh)
