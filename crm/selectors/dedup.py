"""Reads for the duplicate review queue: open pairs, a pair side by side, and merge history."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from crm.models import (
    CandidateStatus,
    Contact,
    DuplicateCandidate,
    EventPartner,
    Funding,
    MergeRecord,
    Partner,
    Partnership,
    Referral,
    Touchpoint,
)

# Label -> (model, field pointing at Partner); counted per partner in one query.
RELATED_COUNTS = {
    "contacts": (Contact, "partner"),
    "partnerships": (Partnership, "partner"),
    "touchpoints": (Touchpoint, "partner"),
    "events": (EventPartner, "partner"),
    "referrals": (Referral, "partner"),
    "funding": (Funding, "partner"),
    "schools served": (Partner.schools_served.through, "partner"),
    "districts served": (Partner.districts_served.through, "partner"),
    "service categories": (Partner.service_categories.through, "partner"),
    "focus groups": (Partner.equity_focus_groups.through, "partner"),
    "merged into it": (Partner, "merged_into"),
}


def _count_of(model, field: str):
    # A correlated subquery per relation: joining them all would multiply rows.
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def duplicate_queue(*, status: str = CandidateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    """Pairs waiting for review, best first, with both partners loaded."""
    return (
        DuplicateCandidate.objects.filter(status=status)
        .select_related("left", "right")
        .order_by("-score", "id")
    )


def duplicate_candidate_get(pk: int) -> DuplicateCandidate:
    return DuplicateCandidate.objects.select_related("left", "right", "decided_by").get(pk=pk)


def partners_with_counts(ids: list[int]) -> dict[int, Partner]:
    """The given partners with `related_counts` ({label: n}) and their M2M names prefetched."""
    annotations = {
        f"n_{i}": _count_of(model, field)
        for i, (model, field) in enumerate(RELATED_COUNTS.values())
    }
    rows = (
        Partner.objects.filter(pk__in=ids)
        .select_related("merged_into", "logo")
        .prefetch_related(
            "service_categories", "equity_focus_groups", "districts_served", "schools_served"
        )
        .annotate(**annotations)
    )
    out = {}
    for partner in rows:
        partner.related_counts = {
            label: getattr(partner, f"n_{i}") for i, label in enumerate(RELATED_COUNTS)
        }
        out[partner.pk] = partner
    return out


def merge_history() -> QuerySet[MergeRecord]:
    return MergeRecord.objects.select_related(
        "survivor", "loser", "merged_by", "undone_by"
    ).order_by("-merged_at", "-id")


def duplicate_clusters(*, min_size: int = 3) -> list[dict]:
    """Open clusters of at least `min_size` records, best first, with their members' names.

    Each is {"key", "members": [Partner], "pairs": n, "best": score}; read from the cluster
    keys the last queue refresh stored, keeping only pairs still open.
    """
    rows = DuplicateCandidate.objects.filter(
        status=CandidateStatus.OPEN, cluster_key__isnull=False
    ).values_list("cluster_key", "left_id", "right_id", "score")
    groups: dict[int, dict] = {}
    for key, left, right, score in rows:
        group = groups.setdefault(key, {"key": key, "ids": set(), "pairs": 0, "best": score})
        group["ids"].update((left, right))
        group["pairs"] += 1
        group["best"] = max(group["best"], score)
    shown = [g for g in groups.values() if len(g["ids"]) >= min_size]
    names = Partner.objects.filter(pk__in={pk for g in shown for pk in g["ids"]}).only("pk", "name")
    by_id = {p.pk: p for p in names}
    for group in shown:
        group["members"] = [by_id[pk] for pk in sorted(group.pop("ids")) if pk in by_id]
    shown.sort(key=lambda g: (-g["best"], g["key"]))
    return shown


def duplicate_cluster_pairs(key: int) -> QuerySet[DuplicateCandidate]:
    """The open pairs of one cluster, best first."""
    return duplicate_queue().filter(cluster_key=key)
