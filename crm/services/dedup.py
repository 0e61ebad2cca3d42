"""The duplicate review queue: refresh it from a scan of live partners, and record decisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from crm.dedup.index import MatchIndex
from crm.dedup.match import scan
from crm.models import CandidateStatus, DuplicateCandidate, Partner
from crm.selectors.matcher import current_matcher_model
from crm.selectors.partners import partner_records
from crm.services.base import audit_entry, audit_record, check_channel, require_perm
from crm.services.clusters import duplicate_clusters_assign

# Statuses a scan may rewrite; a decision (not a duplicate, merged) is never reopened by a scan.
UNDECIDED = (CandidateStatus.OPEN, CandidateStatus.SKIPPED)


@dataclass(frozen=True)
class QueueRefreshSummary:
    partners: int
    pairs_found: int
    inserted: int
    updated: int
    reopened: int
    unchanged: int
    kept_not_duplicate: int
    closed_merged: int
    withdrawn: int
    clusters: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _dismissed_between_survivors(candidates) -> set[tuple[int, int]]:
    """Pairs of live partners that a "not a duplicate" decision covers through earlier merges.

    When A and B were judged different and A was later merged into S, the matcher now finds
    S and B; the person already answered that question, so the pair is not asked again.
    """
    survivor_of = dict(
        Partner.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    covered = set()
    for c in candidates:
        if c.status == CandidateStatus.NOT_DUPLICATE:
            left = survivor_of.get(c.left_id, c.left_id)
            right = survivor_of.get(c.right_id, c.right_id)
            if left != right:
                covered.add((min(left, right), max(left, right)))
    return covered


def duplicate_queue_refresh(
    *, actor, source: str, progress: Callable[[int, int], None] | None = None
) -> QueueRefreshSummary:
    """Scan the live partners and bring the review queue up to date.

    New pairs are inserted; undecided pairs get the new score and reasons (skipped ones come
    back as open); pairs marked "not a duplicate" stay closed, also when one side was since
    merged into another record; undecided pairs of a partner that was merged away are closed;
    undecided pairs the matcher no longer flags are withdrawn.

    The scan (the slow part, which reports progress) reads outside the transaction, so progress
    written elsewhere is visible while it runs; the queue is then rewritten in one transaction.
    """
    check_channel(source)
    require_perm(actor, "crm.change_duplicatecandidate")
    records = partner_records()
    pairs = scan(MatchIndex(records, model=current_matcher_model()), progress=progress)
    return _apply_scan(len(records), pairs, actor=actor, source=source)


@transaction.atomic
def _apply_scan(partners: int, pairs, *, actor, source: str) -> QueueRefreshSummary:
    found = {}
    for pair in pairs:
        left, right = sorted((int(pair.left_id), int(pair.right_id)))
        found[(left, right)] = pair

    existing = {(c.left_id, c.right_id): c for c in DuplicateCandidate.objects.select_for_update()}
    dismissed = _dismissed_between_survivors(existing.values())
    inserts, updates = [], []
    counts = dict.fromkeys(("updated", "reopened", "unchanged", "kept_not_duplicate"), 0)
    for key, pair in found.items():
        candidate = existing.get(key)
        reasons = list(pair.reasons)
        score = round(float(pair.score), 2)
        if candidate is None and key in dismissed:
            counts["kept_not_duplicate"] += 1
            continue
        if candidate is None:
            inserts.append(
                DuplicateCandidate(
                    left_id=key[0], right_id=key[1], score=score, level=pair.level, reasons=reasons
                )
            )
            continue
        if candidate.status == CandidateStatus.NOT_DUPLICATE:
            counts["kept_not_duplicate"] += 1
            continue
        if candidate.status not in UNDECIDED:
            # Marked merged while both are live again: an undone merge restores it itself.
            counts["unchanged"] += 1
            continue
        same = (
            candidate.score == score
            and candidate.level == pair.level
            and candidate.reasons == reasons
            and candidate.status == CandidateStatus.OPEN
        )
        if same:
            counts["unchanged"] += 1
            continue
        if candidate.status == CandidateStatus.SKIPPED:
            counts["reopened"] += 1
        else:
            counts["updated"] += 1
        candidate.score, candidate.level, candidate.reasons = score, pair.level, reasons
        candidate.status = CandidateStatus.OPEN
        updates.append(candidate)
    DuplicateCandidate.objects.bulk_create(inserts, batch_size=1000)
    DuplicateCandidate.objects.bulk_update(
        updates, ["score", "level", "reasons", "status"], batch_size=1000
    )

    merged_away = Partner.objects.filter(merged_into__isnull=False)
    undecided = DuplicateCandidate.objects.filter(status__in=UNDECIDED)
    closed = undecided.filter(Q(left__in=merged_away) | Q(right__in=merged_away)).update(
        status=CandidateStatus.MERGED, decided_at=timezone.now()
    )
    stale = [c.pk for key, c in existing.items() if key not in found and c.status in UNDECIDED]
    withdrawn = 0
    for start in range(0, len(stale), 500):  # SQLite caps the parameters of one statement
        withdrawn += undecided.filter(pk__in=stale[start : start + 500]).delete()[0]

    summary = QueueRefreshSummary(
        partners=partners,
        pairs_found=len(found),
        inserted=len(inserts),
        closed_merged=closed,
        withdrawn=withdrawn,
        clusters=duplicate_clusters_assign(),
        **counts,
    )
    audit_entry(
        actor=actor,
        source=source,
        action="duplicates.refresh",
        model="duplicatecandidate",
        object_id="queue",
        object_repr="duplicate review queue",
        changes=summary.as_dict(),
    ).save()
    return summary


def _decide(candidate: DuplicateCandidate, *, status: str, actor, source: str, action: str):
    check_channel(source)
    require_perm(actor, "crm.change_duplicatecandidate")
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status not in UNDECIDED:
        raise ValidationError(
            f"This pair was already decided ({candidate.get_status_display().lower()})."
        )
    old = candidate.status
    candidate.status = status
    candidate.decided_by = actor if getattr(actor, "pk", None) else None
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        source=source,
        action=action,
        instance=candidate,
        changes={"status": [old, status], "left": candidate.left_id, "right": candidate.right_id},
    )
    return candidate


@transaction.atomic
def duplicate_candidate_dismiss(
    *, candidate: DuplicateCandidate, actor, source: str
) -> DuplicateCandidate:
    """'Not a duplicate': remembered, so later scans never show this pair again."""
    return _decide(
        candidate,
        status=CandidateStatus.NOT_DUPLICATE,
        actor=actor,
        source=source,
        action="duplicate.not_duplicate",
    )


@transaction.atomic
def duplicate_candidate_skip(
    *, candidate: DuplicateCandidate, actor, source: str
) -> DuplicateCandidate:
    """Put the pair aside undecided; the next scan brings it back if it still matches."""
    return _decide(
        candidate,
        status=CandidateStatus.SKIPPED,
        actor=actor,
        source=source,
        action="duplicate.skip",
    )
