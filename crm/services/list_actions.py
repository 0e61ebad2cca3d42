"""Bulk actions on admin lists: publish or unpublish partners, assign a partnership's lead, mark
touchpoint follow-ups done. Each checks every record first; one refusal and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from crm.models import Partner, Partnership, Touchpoint
from crm.selectors.partners import partner_index_sync
from crm.selectors.staff import lead_staff_choices
from crm.services.base import audit_record_many, check_channel, require_perm
from crm.signals import bulk_write_done

# More would be a different job (an import); it also keeps one statement under SQLite's limits.
MAX_RECORDS = 500


def partner_publish_refusal(actor, partner: Partner, *, published: bool) -> str | None:
    """Why this actor may not publish (or unpublish) this partner; None when they may."""
    if actor is not None and not (actor.is_active and actor.has_perm("crm.change_partner")):
        return "You may not change partners."
    if published and partner.merged_into_id:
        return "It was merged into another record; publish the surviving partner."
    return None


def partnership_lead_refusal(actor, partnership: Partnership) -> str | None:
    if actor is not None and not (actor.is_active and actor.has_perm("crm.change_partnership")):
        return "You may not change partnerships."
    return None


def touchpoint_follow_up_refusal(actor, touchpoint: Touchpoint) -> str | None:
    """Partnership staff close any follow-up; someone who only logs touchpoints (a coordinator)
    closes the follow-ups of their own touchpoints and no one else's."""
    if actor is None or (actor.is_active and actor.has_perm("crm.change_touchpoint")):
        return None
    if actor.is_active and actor.has_perm("crm.add_touchpoint") and touchpoint.staff_id == actor.pk:
        return None
    return "You may only close the follow-ups of your own touchpoints."


def _locked(model: type[models.Model], records: Sequence[models.Model], *related: str) -> list:
    ids = sorted({r.pk for r in records})
    if not ids:
        raise ValidationError("Select at least one record.")
    if len(ids) > MAX_RECORDS:
        raise ValidationError(f"Select at most {MAX_RECORDS} records at a time.")
    # The rows themselves are locked; the related rows are read only to name them.
    locked = model._default_manager.select_related(*related).select_for_update(of=("self",))
    rows = list(locked.filter(pk__in=ids).order_by("pk"))
    if len(rows) != len(ids):
        raise ValidationError("Some of the selected records no longer exist.")
    return rows


def _refuse_any(rows: list, refusal: Callable[[models.Model], str | None]) -> None:
    refused = [f"{row}: {why}" for row in rows if (why := refusal(row))]
    if refused:
        raise PermissionDenied("Nothing was changed. " + " ".join(refused))


def _audited(*, actor, source: str, action: str, changed: list[tuple[models.Model, dict]]):
    if not changed:
        return
    audit_record_many(
        actor=actor, source=source, items=[(action, row, changes) for row, changes in changed]
    )
    bulk_write_done(type(changed[0][0]))


def _partner_set_published(
    *, partners: Sequence[Partner], published: bool, actor, source: str
) -> list[Partner]:
    check_channel(source)
    require_perm(actor, "crm.change_partner")
    rows = _locked(Partner, partners)
    _refuse_any(rows, lambda p: partner_publish_refusal(actor, p, published=published))
    changed = [
        (p, {"published": [p.published, published]}) for p in rows if p.published != published
    ]
    ids = [p.pk for p, _changes in changed]
    Partner.objects.filter(pk__in=ids).update(published=published, updated_at=timezone.now())
    for partner, _changes in changed:
        partner.published = published
    _audited(actor=actor, source=source, action="partner.update", changed=changed)
    if ids:
        transaction.on_commit(lambda: partner_index_sync(ids))
    return rows


@transaction.atomic
def partner_publish_many(*, partners: Sequence[Partner], actor, source: str) -> list[Partner]:
    """Publish partners on the public site; a merged-away partner refuses the whole batch."""
    return _partner_set_published(partners=partners, published=True, actor=actor, source=source)


@transaction.atomic
def partner_unpublish_many(*, partners: Sequence[Partner], actor, source: str) -> list[Partner]:
    """Take partners off the public site."""
    return _partner_set_published(partners=partners, published=False, actor=actor, source=source)


@transaction.atomic
def partnership_lead_assign_many(
    *, partnerships: Sequence[Partnership], lead_staff, actor, source: str
) -> list[Partnership]:
    """Make one staff member the lead of many partnerships (None clears the lead)."""
    check_channel(source)
    require_perm(actor, "crm.change_partnership")
    if lead_staff is not None and not lead_staff_choices().filter(pk=lead_staff.pk).exists():
        raise ValidationError({"lead_staff": "Choose an active staff member."})
    rows = _locked(Partnership, partnerships, "partner")
    _refuse_any(rows, lambda p: partnership_lead_refusal(actor, p))
    new_id = lead_staff.pk if lead_staff else None
    changed = [
        (p, {"lead_staff": [p.lead_staff_id, new_id]}) for p in rows if p.lead_staff_id != new_id
    ]
    Partnership.objects.filter(pk__in=[p.pk for p, _c in changed]).update(lead_staff=lead_staff)
    for partnership, _changes in changed:
        partnership.lead_staff = lead_staff
    _audited(actor=actor, source=source, action="partnership.update", changed=changed)
    return rows


@transaction.atomic
def touchpoint_follow_up_done_many(
    *, touchpoints: Sequence[Touchpoint], actor, source: str
) -> list[Touchpoint]:
    """Mark the follow-ups of many touchpoints done."""
    check_channel(source)
    if actor is not None and not (
        actor.has_perm("crm.change_touchpoint") or actor.has_perm("crm.add_touchpoint")
    ):
        raise PermissionDenied("You do not have permission to do this (crm.change_touchpoint).")
    rows = _locked(Touchpoint, touchpoints, "partner")
    _refuse_any(rows, lambda t: touchpoint_follow_up_refusal(actor, t))
    changed = [(t, {"follow_up_done": [False, True]}) for t in rows if not t.follow_up_done]
    Touchpoint.objects.filter(pk__in=[t.pk for t, _c in changed]).update(follow_up_done=True)
    for touchpoint, _changes in changed:
        touchpoint.follow_up_done = True
    _audited(actor=actor, source=source, action="touchpoint.update", changed=changed)
    return rows
