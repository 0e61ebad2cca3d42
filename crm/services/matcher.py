"""Re-estimate the duplicate matcher's model from the live partners and staff decisions."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from crm.dedup.record import Record
from crm.dedup.train import train
from crm.models import CandidateStatus, DuplicateCandidate, MatcherModel, Partner
from crm.selectors.matcher import current_matcher_model
from crm.selectors.matcher_index import RECORD_FIELDS, partner_record, partner_records
from crm.services.base import audit_record, check_channel, require_perm

TRAIN_PERM = "crm.change_duplicatecandidate"


def _decisions() -> list[tuple[Record, Record, bool]]:
    """Pairs staff decided: a merge is a match, "not a duplicate" a non-match. Merged-away
    partners keep their row, so the pair is compared as it was when decided."""
    decided = list(
        DuplicateCandidate.objects.filter(
            status__in=(CandidateStatus.MERGED, CandidateStatus.NOT_DUPLICATE)
        ).values_list("left_id", "right_id", "status")
    )
    ids = {pk for left, right, _ in decided for pk in (left, right)}
    rows = Partner.objects.filter(pk__in=ids).values_list(*RECORD_FIELDS)
    records = {row[0]: partner_record(*row) for row in rows}
    return [
        (records[left], records[right], status == CandidateStatus.MERGED)
        for left, right, status in decided
        if left in records and right in records
    ]


def matcher_train(
    *,
    actor,
    source: str,
    progress: Callable[[str, int, int], None] | None = None,
    candidate_sample: int = 150_000,
    random_sample: int = 150_000,
    em: bool = False,
) -> MatcherModel:
    """Estimate the model on every live partner and store it as the next version: u from
    random pairs, m refined by the staff decisions (known pairs) and, with `em`, by EM over the
    candidate pairs as well (measured worse on held-out data; see the README)."""
    check_channel(source)
    require_perm(actor, TRAIN_PERM)
    records = partner_records()
    decisions = _decisions()
    model = train(
        records,
        decisions=decisions,
        candidate_sample=candidate_sample,
        random_sample=random_sample,
        progress=progress,
        start=current_matcher_model(),
        em=em,
    )
    with transaction.atomic():
        latest = MatcherModel.objects.aggregate(v=Max("version"))["v"] or 0
        row = MatcherModel.objects.create(
            version=latest + 1,
            params=model.to_dict(),
            trained_at=timezone.now(),
            record_count=len(records),
            decision_count=len(decisions),
            trained_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            source=source,
            action="matcher.train",
            instance=row,
            changes={"version": row.version, "records": len(records), "decisions": len(decisions)},
        )
    return row
