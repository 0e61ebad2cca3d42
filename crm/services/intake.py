"""One intake of a partnership, as Slack's modal and the admin's Quick add take it: the partner
(found or created, with the duplicate check), a contact, the partnership and a first touchpoint,
written together or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crm.dedup.score import Match
from crm.models import (
    AgreementType,
    Channel,
    Contact,
    District,
    Partner,
    PartnerKind,
    Partnership,
    PartnershipScope,
    School,
    Touchpoint,
    TouchpointChannel,
)
from crm.selectors.partners import partner_resolve
from crm.selectors.partnerships import partnership_active_alike
from crm.services.activity import partnership_create, touchpoint_create
from crm.services.base import check_channel, require_perm
from crm.services.partners import (
    DuplicatePartner,
    contact_create,
    partner_create,
    partner_duplicate_choice_record,
)

SAVED = "saved"
DUPLICATE = "duplicate"
EXISTS = "exists"
LOGGED = "logged"


@dataclass(frozen=True)
class Intake:
    """What an intake did.

    saved: everything was written. duplicate: nothing was written; `matches` are the likely
    duplicates to choose from. exists: the partner already has an active partnership of this
    kind (`partnership`), so none was added (it would be counted twice); only the choice of an
    offered partner, if any, was recorded. logged: a touchpoint (and contact) instead.
    """

    status: str
    partner: Partner | None = None
    created_partner: bool = False
    partnership: Partnership | None = None
    contact: Contact | None = None
    touchpoint: Touchpoint | None = None
    matches: tuple[Match, ...] = ()


def _check_contact(*, name: str, email: str, phone: str) -> None:
    if (email.strip() or phone.strip()) and not name.strip():
        raise ValidationError({"contact_name": "Add the contact's name too."})


def _existing(partner_id: int) -> Partner:
    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise ValidationError({"partner": "That partner no longer exists; pick it again."})
    return partner


def _summary(summary: str, notes: str, source: str) -> str:
    return summary.strip() or notes.strip() or f"Partnership logged from {Channel(source).label}."


def _scope(districts: Sequence, schools: Sequence) -> str:
    if schools:
        return PartnershipScope.SCHOOLS
    return PartnershipScope.DISTRICTS if districts else PartnershipScope.COUNTYWIDE


def _contact_and_touchpoint(
    partner: Partner,
    *,
    actor,
    source: str,
    contact: dict[str, str],
    summary: str,
    channel: str,
    occurred_on: dt.date,
    known_contacts_kept: bool = False,
) -> tuple[Contact | None, Touchpoint]:
    """The intake's contact (if named; with known_contacts_kept, the partner's contact of that
    name when it has one) and its touchpoint, which records whom it was with."""
    name = " ".join(contact["name"].split())
    known = (
        partner.contacts.filter(name__iexact=name).first() if name and known_contacts_kept else None
    )
    added = None
    if name and known is None:
        added = contact_create(
            partner=partner, **{**contact, "name": name}, actor=actor, source=source
        )
    touchpoint = touchpoint_create(
        partner=partner,
        contact=added or known,
        occurred_on=occurred_on,
        channel=channel,
        summary=summary,
        actor=actor,
        source=source,
    )
    return added, touchpoint


@transaction.atomic
def partnership_log_from_intake(
    *,
    actor,
    source: str,
    partner_id: int | None = None,
    name: str = "",
    kind: str = PartnerKind.NONPROFIT,
    service_categories: Iterable = (),
    districts: Iterable[District] = (),
    schools: Iterable[School] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_role: str = "",
    strategic: bool = False,
    agreement_type: str = AgreementType.INFORMAL,
    notes: str = "",
    summary: str = "",
    channel: str = TouchpointChannel.SLACK,
    occurred_on: dt.date | None = None,
    create_anyway: bool = False,
    offered: Sequence[Match] = (),
) -> Intake:
    """Log a partnership with `partner_id` (an existing partner) or a new partner `name`.

    A new name that looks like an existing partner writes nothing and returns the matches,
    unless `create_anyway` (the person saw them; the pairs are queued for review). Picking one of
    the `offered` matches instead is recorded against the typed `name`. The partnership starts
    today, led by the actor; its scope follows the places given (schools, else districts, else
    countywide). The touchpoint's summary defaults to the notes.
    """
    check_channel(source)
    for perm in ("crm.add_partnership", "crm.add_touchpoint"):
        require_perm(actor, perm)
    if contact_name.strip():
        require_perm(actor, "crm.add_contact")
    _check_contact(name=contact_name, email=contact_email, phone=contact_phone)
    name = " ".join((name or "").split())
    if not partner_id and not name:
        raise ValidationError({"name": "Name the partner, or pick an existing one."})
    districts, schools = list(districts), list(schools)
    today = timezone.localdate()
    created = False
    if partner_id:
        chosen = _existing(partner_id)
        if offered:
            if partner_id not in {m.id for m in offered}:
                raise ValidationError({"partner": "Pick one of the partners offered."})
            partner_duplicate_choice_record(
                name=name, chosen=chosen, matches=list(offered), actor=actor, source=source
            )
        partner = partner_resolve(chosen)
        # An existing partner: a second identical partnership would count it twice.
        same = partnership_active_alike(
            partner_id=partner.pk, strategic=strategic, agreement_type=agreement_type, on=today
        )
        if same is not None:
            return Intake(status=EXISTS, partner=partner, partnership=same)
    else:
        try:
            partner = partner_create(
                name=name,
                kind=kind,
                service_categories=service_categories,
                districts_served=districts,
                schools_served=schools,
                create_anyway=create_anyway,
                actor=actor,
                source=source,
            )
        except DuplicatePartner as dup:
            return Intake(status=DUPLICATE, matches=tuple(dup.matches))
        created = True
    partnership = partnership_create(
        partner=partner,
        start_date=today,
        scope=_scope(districts, schools),
        strategic=strategic,
        agreement_type=agreement_type,
        lead_staff=actor,
        notes=notes,
        districts=districts,
        schools=schools,
        actor=actor,
        source=source,
    )
    contact, touchpoint = _contact_and_touchpoint(
        partner,
        actor=actor,
        source=source,
        contact={
            "name": contact_name,
            "role": contact_role,
            "email": contact_email,
            "phone": contact_phone,
        },
        summary=_summary(summary, notes, source),
        channel=channel,
        occurred_on=occurred_on or today,
    )
    return Intake(
        status=SAVED,
        partner=partner,
        created_partner=created,
        partnership=partnership,
        contact=contact,
        touchpoint=touchpoint,
    )


@transaction.atomic
def touchpoint_log_from_intake(
    *,
    actor,
    source: str,
    partner_id: int,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_role: str = "",
    notes: str = "",
    summary: str = "",
    channel: str = TouchpointChannel.SLACK,
    occurred_on: dt.date | None = None,
) -> Intake:
    """The intake's answer to "already a partner": its contact (unless the partner has one of
    that name already) and its touchpoint, without a second partnership."""
    check_channel(source)
    require_perm(actor, "crm.add_touchpoint")
    _check_contact(name=contact_name, email=contact_email, phone=contact_phone)
    partner = partner_resolve(_existing(partner_id))
    contact, touchpoint = _contact_and_touchpoint(
        partner,
        actor=actor,
        source=source,
        contact={
            "name": contact_name,
            "role": contact_role,
            "email": contact_email,
            "phone": contact_phone,
        },
        summary=_summary(summary, notes, source),
        channel=channel,
        occurred_on=occurred_on or timezone.localdate(),
        known_contacts_kept=True,
    )
    return Intake(status=LOGGED, partner=partner, contact=contact, touchpoint=touchpoint)
