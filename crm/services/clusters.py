"""Clusters in the review queue: group the open pairs, and merge a whole cluster in one action.

A cluster merge is one partner_merge per other member, in one transaction; each is its own
merge record, so each can be undone from the merge history like any other merge.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from crm.dedup.cluster import Edge, cluster_pairs
from crm.dedup.identifiers import normalize_ein
from crm.dedup.index import MatchIndex
from crm.dedup.score import LIKELY, POSSIBLE
from crm.models import CandidateStatus, DuplicateCandidate, MergeRecord, Partner
from crm.selectors.partners import partner_records
from crm.services.base import audit_record, check_channel, require_perm
from crm.services.merge import CHOOSABLE_FIELDS, LOSER, SURVIVOR, partner_merge


def _survivor_map() -> dict[int, int]:
    return dict(Partner.objects.merged().values_list("pk", "merged_into_id"))


def _direct_comparison(ids: set[int]):
    """fill() for cluster_pairs: the matcher's verdict on one pair the scan's blocking skipped."""
    records, wanted = {}, sorted(ids)
    for start in range(0, len(wanted), 500):  # SQLite caps the parameters of one statement
        chunk = Partner.objects.live().filter(pk__in=wanted[start : start + 500])
        records.update((r.id, r) for r in partner_records(chunk))

    def fill(left: int, right: int) -> float | None:
        if left not in records or right not in records:
            return None
        found = MatchIndex([records[right]]).query(records[left], limit=1)
        flagged = [m for m in found if m.level in (LIKELY, POSSIBLE)]
        return float(flagged[0].score) if flagged else None

    return fill


def duplicate_clusters_assign() -> int:
    """Group the open pairs into clusters and store each pair's cluster key; returns how many
    clusters of three or more records there are.

    Pairs judged "not a duplicate" (also through earlier merges) and different EINs keep
    records apart, so a chain of look-alikes does not pull unrelated records into one cluster.
    """
    rows = list(
        DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).values_list(
            "pk", "left_id", "right_id", "score", "cluster_key"
        )
    )
    survivor_of = _survivor_map()
    dismissed = []
    for left, right in DuplicateCandidate.objects.filter(
        status=CandidateStatus.NOT_DUPLICATE
    ).values_list("left_id", "right_id"):
        dismissed.append((survivor_of.get(left, left), survivor_of.get(right, right)))
    ends = {pk for _, left, right, _, _ in rows for pk in (left, right)}
    eins = {
        pk: {"ein": normalize_ein(ein)}
        for pk, ein in Partner.objects.exclude(ein="").values_list("pk", "ein")
        if pk in ends
    }
    clusters = cluster_pairs(
        [Edge(left, right, score) for _, left, right, score, _ in rows],
        conflicts=dismissed,
        identifiers=eins,
        fill=_direct_comparison(ends),
    )
    key_of = {member: c.key for c in clusters for member in c.members}
    changed = []
    for pk, left, right, _, old in rows:
        key = key_of.get(left) if key_of.get(left) == key_of.get(right) else None
        if key != old:
            changed.append(DuplicateCandidate(pk=pk, cluster_key=key))
    DuplicateCandidate.objects.bulk_update(changed, ["cluster_key"], batch_size=1000)
    return sum(1 for c in clusters if len(c) >= 3)


def _check_values(field_values: dict[str, int], members: dict[int, Partner]) -> dict[str, int]:
    unknown = sorted(set(field_values) - set(CHOOSABLE_FIELDS))
    if unknown:
        raise ValidationError(f"These fields cannot be chosen in a merge: {', '.join(unknown)}.")
    strangers = sorted(f for f, pk in field_values.items() if pk not in members)
    if strangers:
        raise ValidationError(
            f"Pick the value of a record in this cluster for: {', '.join(strangers)}."
        )
    return field_values


@transaction.atomic
def partner_merge_cluster(
    *,
    survivor: Partner,
    others: list[Partner],
    field_values: dict[str, int],
    actor,
    source: str,
) -> list[MergeRecord]:
    """Merge every partner of `others` into `survivor`, all or nothing.

    field_values maps a field of CHOOSABLE_FIELDS to the id of the member whose value wins;
    fields not named keep the survivor's value. Each member is merged by partner_merge, so
    each merge is recorded, audited and undoable on its own.
    """
    check_channel(source)
    require_perm(actor, "crm.merge_partner")
    members = {p.pk: p for p in [survivor, *others]}
    if len(members) != len(others) + 1:
        raise ValidationError("Each record of the cluster can be named only once.")
    if not others:
        raise ValidationError("Choose at least one other record to merge.")
    choices = _check_values(dict(field_values or {}), members)
    records = []
    for loser in sorted(others, key=lambda p: p.pk):
        picks = {f: LOSER for f, pk in choices.items() if pk == loser.pk}
        # Once a value came from an earlier member, later merges keep it on the survivor.
        picks.update({f: SURVIVOR for f, pk in choices.items() if pk != loser.pk})
        records.append(
            partner_merge(
                survivor=survivor,
                loser=loser,
                field_choices=picks,
                actor=actor,
                source=source,
            )
        )
    for record in records:
        record.snapshot["cluster"] = {
            "survivor": survivor.pk,
            "merges": [r.pk for r in records],
        }
        record.save(update_fields=["snapshot"])
    audit_record(
        actor=actor,
        source=source,
        action="partner.merge_cluster",
        instance=survivor,
        changes={
            "survivor": survivor.pk,
            "merged": [r.loser_id for r in records],
            "merges": [r.pk for r in records],
            "values_from": {f: pk for f, pk in sorted(choices.items())},
        },
    )
    return records
