"""Merging duplicate partners without losing anything, and undoing a merge exactly, following
the rules in crm.services.merge_rules (what happens to each relation of Partner)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from crm.models import (
    CandidateStatus,
    DuplicateCandidate,
    EventPartner,
    MergeRecord,
    Partner,
    PartnerStatus,
)
from crm.selectors.partners import partner_index_sync, partner_resolve
from crm.services.base import audit_record, check_channel, plain, require_perm, validated_save
from crm.services.merge_rules import (
    CHOOSABLE_FIELDS,
    LOSER,
    M2M_FIELDS,
    MOVE,
    MOVED_MODELS,
    RELATION_RULES,
    SURVIVOR,
    UNION,
    partner_relations,
    relation_key,
)
from crm.services.partners import clean_aliases
from crm.signals import bulk_write_done

# The rules are re-exported: the merge screens and tests read them beside the merge itself.
__all__ = [
    "CHOOSABLE_FIELDS",
    "LOSER",
    "M2M_FIELDS",
    "MOVE",
    "MOVED_MODELS",
    "RELATION_RULES",
    "SURVIVOR",
    "UNION",
    "MergeConflict",
    "partner_merge",
    "partner_merge_undo",
    "partner_relations",
    "relation_key",
]


def _attname(field: str) -> str:
    return f"{field}_id" if Partner._meta.get_field(field).is_relation else field


def _locked_pair(first_id: int, second_id: int) -> dict[int, Partner]:
    # Always lock in id order, so two merges of the same pair cannot deadlock each other.
    rows = Partner.objects.select_for_update().filter(pk__in=[first_id, second_id]).order_by("pk")
    return {p.pk: p for p in rows}


def _through(field: str):
    return Partner._meta.get_field(field).remote_field.through


def _target(field: str) -> str:
    return Partner._meta.get_field(field).m2m_reverse_name()


def _move_unique(model, other: str, survivor: Partner, loser: Partner) -> dict:
    """Move rows unique per (partner, other) from loser to survivor; return what happened."""
    have = set(model.objects.filter(partner_id=survivor.pk).values_list(other, flat=True))
    rows = list(model.objects.filter(partner_id=loser.pk).order_by("pk").values_list("pk", other))
    collided = [{"id": pk, "other": value} for pk, value in rows if value in have]
    moved = [pk for pk, value in rows if value not in have]
    model.objects.filter(pk__in=[c["id"] for c in collided]).delete()
    model.objects.filter(pk__in=moved).update(partner_id=survivor.pk)
    return {"moved": moved, "collided": collided}


def _move_unique_back(model, other: str, moves: dict, survivor: Partner, loser: Partner) -> None:
    model.objects.filter(pk__in=moves["moved"], partner_id=survivor.pk).update(partner_id=loser.pk)
    model.objects.bulk_create(
        [model(pk=c["id"], partner_id=loser.pk, **{other: c["other"]}) for c in moves["collided"]]
    )


def _check_choices(field_choices: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(field_choices) - set(CHOOSABLE_FIELDS))
    if unknown:
        raise ValidationError(f"These fields cannot be chosen in a merge: {', '.join(unknown)}.")
    bad = sorted(f for f, side in field_choices.items() if side not in (SURVIVOR, LOSER))
    if bad:
        raise ValidationError(f"Choose 'survivor' or 'loser' for: {', '.join(bad)}.")
    return field_choices


# A merge that PostgreSQL picks as a deadlock victim (or a serialization failure) is run again
# from the start this many times in all, a little later each time, before the person is told.
MERGE_ATTEMPTS = 4
MERGE_RETRY_PAUSE = 0.05  # seconds, doubled after each attempt
RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure


class MergeConflict(ValidationError):
    """Concurrent merges kept colliding on the same partners; nothing was changed."""


def _retryable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def partner_merge(
    *,
    survivor: Partner,
    loser: Partner,
    field_choices: dict[str, str],
    actor,
    source: str,
) -> MergeRecord:
    """Merge `loser` into `survivor`: every related record moves, the loser is kept retired.

    field_choices maps a field of CHOOSABLE_FIELDS to "survivor" or "loser"; fields not named
    keep the survivor's value. The returned MergeRecord's snapshot is what partner_merge_undo
    needs to put everything back. A deadlock with other merges is retried (MERGE_ATTEMPTS),
    then refused with MergeConflict; inside a caller's transaction it cannot be retried.
    """
    can_retry = not transaction.get_connection().in_atomic_block
    attempt = 0
    while True:
        try:
            return _partner_merge_once(
                survivor=survivor,
                loser=loser,
                field_choices=field_choices,
                actor=actor,
                source=source,
            )
        except OperationalError as exc:
            attempt += 1
            if not _retryable(exc):
                raise
            if not can_retry or attempt >= MERGE_ATTEMPTS:
                raise MergeConflict(
                    "Another merge touched these partners at the same time; nothing was "
                    "changed. Try again.",
                    code="merge_conflict",
                ) from exc
            time.sleep(MERGE_RETRY_PAUSE * 2 ** (attempt - 1))


@transaction.atomic
def _partner_merge_once(
    *,
    survivor: Partner,
    loser: Partner,
    field_choices: dict[str, str],
    actor,
    source: str,
) -> MergeRecord:
    check_channel(source)
    require_perm(actor, "crm.merge_partner")
    choices = _check_choices(dict(field_choices or {}))
    if survivor.pk == loser.pk:
        raise ValidationError("A partner cannot be merged into itself.")
    locked = _locked_pair(survivor.pk, loser.pk)
    if len(locked) != 2:
        raise ValidationError("One of these partners no longer exists.")
    survivor, loser = locked[survivor.pk], locked[loser.pk]
    # Only live records take part: with chains always resolved to a live survivor, that alone
    # rules out cycles. Checked on the locked rows, so a concurrent merge cannot slip between.
    if survivor.merged_into_id is not None:
        if partner_resolve(survivor).pk == loser.pk:
            raise ValidationError(
                f"{survivor} was already merged into {loser}; merging back would make a cycle."
            )
        raise ValidationError(
            f"{survivor} was merged into another record; merge into the surviving partner."
        )
    if loser.merged_into_id is not None:
        raise ValidationError(f"{loser} was already merged into another record.")

    snapshot: dict = {"version": 1, "survivor": survivor.pk, "loser": loser.pk}

    # Fields: the chosen values of the loser overwrite the survivor's; record the old ones.
    overwritten = {}
    for field in CHOOSABLE_FIELDS:
        if choices.get(field) != LOSER:
            continue
        attname = _attname(field)
        old, new = getattr(survivor, attname), getattr(loser, attname)
        if old != new:
            overwritten[field] = {"old": plain(old), "new": plain(new)}
            setattr(survivor, attname, new)
    old_aliases = list(survivor.aliases or [])
    new_aliases = clean_aliases(
        [
            *old_aliases,
            survivor.name if "name" not in overwritten else overwritten["name"]["old"],
            loser.name,
            *(loser.aliases or []),
        ],
        name=survivor.name,
    )
    snapshot["survivor_fields"] = overwritten
    snapshot["survivor_aliases"] = {"old": old_aliases, "new": new_aliases}
    survivor.aliases = new_aliases
    if survivor.status == PartnerStatus.MERGED:
        # A loser's "merged" status must not be chosen onto a live record.
        raise ValidationError("The surviving partner cannot take the status 'merged'.")
    validated_save(survivor)

    # Related rows that simply re-point.
    moved = {}
    for key, model in MOVED_MODELS.items():
        ids = sorted(model.objects.filter(partner=loser).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(partner=survivor)
        moved[key] = ids
    snapshot["moved"] = moved

    # Rows unique per (partner, other): event links and the many-to-many through rows. A loser
    # row whose other side the survivor already has is removed and kept in the snapshot (undo
    # puts the very same row back); the rest are re-pointed, so they keep their ids.
    snapshot["event_links"] = _move_unique(EventPartner, "event_id", survivor, loser)
    snapshot["m2m"] = {
        field: _move_unique(_through(field), _target(field), survivor, loser)
        for field in M2M_FIELDS
    }

    # Chains: records merged into the loser earlier now resolve straight to the survivor.
    chained = sorted(Partner.objects.filter(merged_into=loser).values_list("pk", flat=True))
    Partner.objects.filter(pk__in=chained).update(merged_into=survivor)
    snapshot["chained"] = chained

    # Review queue: pairs involving the loser are settled by this merge.
    now = timezone.now()
    pairs = DuplicateCandidate.objects.filter(Q(left=loser) | Q(right=loser)).exclude(
        status__in=[CandidateStatus.MERGED, CandidateStatus.NOT_DUPLICATE]
    )
    snapshot["candidates"] = [
        {"id": pk, "status": status, "decided_by": by, "decided_at": plain(at)}
        for pk, status, by, at in pairs.values_list("pk", "status", "decided_by", "decided_at")
    ]
    pairs.update(
        status=CandidateStatus.MERGED,
        decided_by=actor if getattr(actor, "pk", None) else None,
        decided_at=now,
    )

    # The loser stays, retired, pointing at the survivor.
    snapshot["loser_fields"] = {
        "status": loser.status,
        "published": loser.published,
    }
    loser.merged_into = survivor
    loser.status = PartnerStatus.MERGED
    loser.published = False
    validated_save(loser)

    record = MergeRecord.objects.create(
        survivor=survivor,
        loser=loser,
        merged_by=actor if getattr(actor, "pk", None) else None,
        snapshot=snapshot,
    )
    summary = {
        "merge": record.pk,
        "loser": loser.pk,
        "survivor": survivor.pk,
        "fields": sorted(overwritten),
        "moved": {k: len(v) for k, v in moved.items()},
        "event_links": len(snapshot["event_links"]["moved"]),
        "event_link_collisions": snapshot["event_links"]["collided"],
        "m2m_added": {f: len(m["moved"]) for f, m in snapshot["m2m"].items()},
    }
    audit_record(
        actor=actor, source=source, action="partner.merge", instance=survivor, changes=summary
    )
    audit_record(
        actor=actor, source=source, action="partner.merged_away", instance=loser, changes=summary
    )
    transaction.on_commit(lambda: partner_index_sync([survivor.pk, loser.pk]))
    bulk_write_done(Partner)
    return record


@transaction.atomic
def partner_merge_undo(*, merge: MergeRecord, actor, source: str) -> MergeRecord:
    """Put back what `merge` changed: the loser's fields, its records, its links and sets.

    Undo goes in reverse order: a merge whose survivor was itself merged away later must wait
    until that later merge is undone. Rows added to the survivor after the merge stay there.
    """
    check_channel(source)
    require_perm(actor, "crm.merge_partner")
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError("This merge was already undone.")
    locked = _locked_pair(merge.survivor_id, merge.loser_id)
    survivor, loser = locked[merge.survivor_id], locked[merge.loser_id]
    if survivor.merged_into_id is not None:
        raise ValidationError(
            f"{survivor} was merged into another record since; undo that merge first."
        )
    if loser.merged_into_id != survivor.pk:
        raise ValidationError(
            f"{loser} no longer points at {survivor}; this merge cannot be undone."
        )
    snap = merge.snapshot

    # Survivor fields: restore what the merge overwrote, unless someone changed it since.
    kept_later_edits = []
    for field, values in snap["survivor_fields"].items():
        attname = _attname(field)
        if plain(getattr(survivor, attname)) == values["new"]:
            setattr(survivor, attname, values["old"])
        else:
            kept_later_edits.append(field)
    if survivor.aliases == snap["survivor_aliases"]["new"]:
        # Untouched since the merge: restore the exact list, order included.
        survivor.aliases = list(snap["survivor_aliases"]["old"])
    else:
        added_aliases = {a.casefold() for a in snap["survivor_aliases"]["new"]} - {
            a.casefold() for a in snap["survivor_aliases"]["old"]
        }
        survivor.aliases = [a for a in survivor.aliases if a.casefold() not in added_aliases]
        for alias in snap["survivor_aliases"]["old"]:
            if alias not in survivor.aliases and alias.casefold() != survivor.name.casefold():
                survivor.aliases.append(alias)
    validated_save(survivor)

    for key, model in MOVED_MODELS.items():
        model.objects.filter(pk__in=snap["moved"][key], partner=survivor).update(partner=loser)
    _move_unique_back(EventPartner, "event_id", snap["event_links"], survivor, loser)
    for field, moves in snap["m2m"].items():
        _move_unique_back(_through(field), _target(field), moves, survivor, loser)
    Partner.objects.filter(pk__in=snap["chained"], merged_into=survivor).update(merged_into=loser)
    for row in snap["candidates"]:
        DuplicateCandidate.objects.filter(pk=row["id"], status=CandidateStatus.MERGED).update(
            status=row["status"], decided_by_id=row["decided_by"], decided_at=row["decided_at"]
        )

    loser.merged_into = None
    loser.status = snap["loser_fields"]["status"]
    loser.published = snap["loser_fields"]["published"]
    validated_save(loser)

    merge.undone_at = timezone.now()
    merge.undone_by = actor if getattr(actor, "pk", None) else None
    merge.save(update_fields=["undone_at", "undone_by"])
    changes = {"merge": merge.pk, "loser": loser.pk, "survivor": survivor.pk}
    if kept_later_edits:
        changes["kept_later_edits"] = kept_later_edits
    audit_record(
        actor=actor, source=source, action="partner.merge_undo", instance=survivor, changes=changes
    )
    audit_record(
        actor=actor, source=source, action="partner.unmerged", instance=loser, changes=changes
    )
    transaction.on_commit(lambda: partner_index_sync([survivor.pk, loser.pk]))
    bulk_write_done(Partner)
    return merge
