"""Partnership, touchpoint, event and funding writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from crm.models import (
    AgreementType,
    Contact,
    Event,
    EventPartner,
    Funding,
    NotificationVerb,
    Partner,
    Partnership,
    PartnershipScope,
    PartnershipStatus,
    School,
    Touchpoint,
    editable,
)
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    require_perm,
    require_school,
    set_many,
    validated_save,
)
from crm.services.notifications import notifications_create

PARTNERSHIP_FIELDS = set(editable.PARTNERSHIP_FIELDS)
TOUCHPOINT_FIELDS = set(editable.TOUCHPOINT_FIELDS)
EVENT_FIELDS = set(editable.EVENT_FIELDS)
FUNDING_FIELDS = set(editable.FUNDING_FIELDS)


def _live(partner: Partner) -> Partner:
    if partner.merged_into_id:
        raise ValidationError(
            f"{partner} was merged into another record; use the surviving partner."
        )
    return partner


@transaction.atomic
def partnership_create(
    *,
    partner: Partner,
    start_date: dt.date,
    actor,
    source: str,
    title: str = "",
    scope: str = PartnershipScope.COUNTYWIDE,
    end_date: dt.date | None = None,
    status: str = PartnershipStatus.ACTIVE,
    strategic: bool = False,
    agreement_type: str = AgreementType.INFORMAL,
    lead_staff=None,
    notes: str = "",
    districts: Iterable = (),
    schools: Iterable = (),
    pillars: Iterable = (),
) -> Partnership:
    check_channel(source)
    require_perm(actor, "crm.add_partnership")
    partnership = Partnership(
        partner=_live(partner),
        title=title,
        scope=scope,
        start_date=start_date,
        end_date=end_date,
        status=status,
        strategic=strategic,
        agreement_type=agreement_type,
        lead_staff=lead_staff,
        notes=notes,
    )
    validated_save(partnership)
    changes = {"partner": partner.pk, "start_date": start_date.isoformat(), "strategic": strategic}
    set_many(partnership, "districts", districts, changes)
    set_many(partnership, "schools", schools, changes)
    set_many(partnership, "pillars", pillars, changes)
    audit_record(
        actor=actor,
        source=source,
        action="partnership.create",
        instance=partnership,
        changes=changes,
    )
    _notify_lead(partnership, actor=actor)
    return partnership


def _notify_lead(partnership: Partnership, *, actor) -> None:
    notifications_create(
        recipients=[partnership.lead_staff],
        verb=NotificationVerb.PARTNERSHIP_LEAD,
        target=partnership,
        actor=actor,
    )


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    actor,
    source: str,
    data: dict,
    districts: Iterable | None = None,
    schools: Iterable | None = None,
    pillars: Iterable | None = None,
) -> Partnership:
    check_channel(source)
    require_perm(actor, "crm.change_partnership")
    changes = apply_changes(partnership, data, allowed=PARTNERSHIP_FIELDS)
    validated_save(partnership)
    set_many(partnership, "districts", districts, changes)
    set_many(partnership, "schools", schools, changes)
    set_many(partnership, "pillars", pillars, changes)
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action="partnership.update",
            instance=partnership,
            changes=changes,
        )
    if "lead_staff" in changes:
        _notify_lead(partnership, actor=actor)
    return partnership


def partnership_end(
    *, partnership: Partnership, end_date: dt.date, actor, source: str
) -> Partnership:
    return partnership_update(
        partnership=partnership,
        actor=actor,
        source=source,
        data={"end_date": end_date, "status": PartnershipStatus.ENDED},
    )


@transaction.atomic
def touchpoint_create(
    *,
    partner: Partner,
    occurred_on: dt.date,
    channel: str,
    summary: str,
    actor,
    source: str,
    next_step: str = "",
    follow_up_on: dt.date | None = None,
    slack_permalink: str = "",
    contact: Contact | None = None,
) -> Touchpoint:
    check_channel(source)
    require_perm(actor, "crm.add_touchpoint")
    if not (summary or "").strip():
        raise ValidationError({"summary": "Say what happened."})
    touchpoint = Touchpoint(
        partner=_live(partner),
        occurred_on=occurred_on,
        channel=channel,
        summary=summary.strip(),
        next_step=next_step,
        follow_up_on=follow_up_on,
        slack_permalink=slack_permalink,
        staff=actor if getattr(actor, "pk", None) else None,
        contact=contact,
    )
    _check_contact(touchpoint)
    validated_save(touchpoint)
    audit_record(
        actor=actor,
        source=source,
        action="touchpoint.create",
        instance=touchpoint,
        changes={"partner": partner.pk, "contact": touchpoint.contact_id},
    )
    return touchpoint


def _check_contact(touchpoint: Touchpoint) -> None:
    """A touchpoint names one of its own partner's contacts (the refusal names no contact, so
    trying ids reveals no names)."""
    if touchpoint.contact_id is None:
        return
    if touchpoint.contact.partner_id != touchpoint.partner_id:
        raise ValidationError({"contact": "Choose one of this partner's own contacts."})


@transaction.atomic
def touchpoint_update(*, touchpoint: Touchpoint, actor, source: str, data: dict) -> Touchpoint:
    check_channel(source)
    require_perm(actor, "crm.change_touchpoint")
    changes = apply_changes(touchpoint, data, allowed=TOUCHPOINT_FIELDS)
    if "contact" in changes:
        _check_contact(touchpoint)
    validated_save(touchpoint)
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action="touchpoint.update",
            instance=touchpoint,
            changes=changes,
        )
    if {"staff", "follow_up_on"} & set(changes):
        _notify_follow_up(touchpoint, actor=actor)
    return touchpoint


def _notify_follow_up(touchpoint: Touchpoint, *, actor) -> None:
    """The staff member now holding a pending follow-up hears of it (not when it is theirs)."""
    if touchpoint.follow_up_on is None or touchpoint.follow_up_done:
        return
    notifications_create(
        recipients=[touchpoint.staff],
        verb=NotificationVerb.FOLLOW_UP_ASSIGNED,
        target=touchpoint,
        actor=actor,
        detail={"due": touchpoint.follow_up_on.isoformat()},
    )


@transaction.atomic
def event_create(
    *,
    school: School,
    kind: str,
    date: dt.date,
    actor,
    source: str,
    title: str = "",
    participants: int = 0,
    items_distributed: int = 0,
    partners: Iterable[Partner] = (),
    notes: str = "",
    pillars: Iterable = (),
) -> Event:
    check_channel(source)
    require_perm(actor, "crm.add_event")
    require_school(actor, school.pk)
    event = Event(
        school=school,
        kind=kind,
        title=title,
        date=date,
        participants=participants,
        items_distributed=items_distributed,
        notes=notes,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    validated_save(event)
    partner_ids = sorted({_live(p).pk for p in partners})
    EventPartner.objects.bulk_create(
        [EventPartner(event=event, partner_id=pk) for pk in partner_ids]
    )
    pillar_changes: dict = {}
    set_many(event, "pillars", pillars, pillar_changes)
    audit_record(
        actor=actor,
        source=source,
        action="event.create",
        instance=event,
        changes={
            "school": school.pk,
            "date": date.isoformat(),
            "participants": participants,
            "partners": partner_ids,
            **({"pillars": pillar_changes["pillars"][1]} if pillar_changes else {}),
        },
    )
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor,
    source: str,
    data: dict,
    partners: Iterable[Partner] | None = None,
    pillars: Iterable | None = None,
) -> Event:
    check_channel(source)
    require_perm(actor, "crm.change_event")
    require_school(actor, event.school_id)
    changes = apply_changes(event, data, allowed=EVENT_FIELDS)
    require_school(actor, event.school_id)
    validated_save(event)
    if partners is not None:
        set_many(event, "partners", [_live(p) for p in partners], changes)
    set_many(event, "pillars", pillars, changes)
    if changes:
        audit_record(
            actor=actor, source=source, action="event.update", instance=event, changes=changes
        )
    return event


@transaction.atomic
def funding_create(
    *,
    source_name: str,
    amount: Decimal,
    fiscal_year: int,
    actor,
    source: str,
    partner: Partner | None = None,
    received_on: dt.date | None = None,
    supports: str = "",
    school: School | None = None,
) -> Funding:
    check_channel(source)
    require_perm(actor, "crm.add_funding")
    funding = Funding(
        source=source_name,
        amount=amount,
        fiscal_year=fiscal_year,
        partner=_live(partner) if partner else None,
        received_on=received_on,
        supports=supports,
        school=school,
    )
    validated_save(funding)
    audit_record(
        actor=actor,
        source=source,
        action="funding.create",
        instance=funding,
        changes={"amount": str(amount), "fiscal_year": fiscal_year},
    )
    return funding


@transaction.atomic
def funding_update(*, funding: Funding, actor, source: str, data: dict) -> Funding:
    check_channel(source)
    require_perm(actor, "crm.change_funding")
    changes = apply_changes(funding, data, allowed=FUNDING_FIELDS)
    validated_save(funding)
    if changes:
        audit_record(
            actor=actor, source=source, action="funding.update", instance=funding, changes=changes
        )
    return funding
