"""Referral writes: creation, closed-loop status changes, and edits guarded against stale forms."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crm.models import (
    ContactPreference,
    NotificationVerb,
    Partner,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    School,
    editable,
)
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    require_perm,
    require_school,
    validated_save,
)
from crm.services.notifications import referral_notify

S = ReferralStatus
CLOSED_STATUSES = {
    S.COMPLETED,
    S.DECLINED,
    S.UNABLE_TO_REACH,
    S.NO_CAPACITY,
    S.NO_LONGER_INTERESTED,
    S.CLOSED,
}
# The closed loop: referred → accepted → in service → completed, or out to a closing status.
TRANSITIONS: dict[str, set[str]] = {
    S.REFERRED: {
        S.ACCEPTED,
        S.DECLINED,
        S.UNABLE_TO_REACH,
        S.NO_CAPACITY,
        S.NO_LONGER_INTERESTED,
        S.CLOSED,
    },
    S.ACCEPTED: {
        S.IN_SERVICE,
        S.DECLINED,
        S.UNABLE_TO_REACH,
        S.NO_CAPACITY,
        S.NO_LONGER_INTERESTED,
        S.CLOSED,
    },
    S.IN_SERVICE: {S.COMPLETED, S.NO_LONGER_INTERESTED, S.UNABLE_TO_REACH, S.CLOSED},
    **{closed: set() for closed in CLOSED_STATUSES},
}
REFERRAL_FIELDS = set(editable.REFERRAL_FIELDS)


class StaleEdit(ValidationError):
    """Someone else changed the referral since this form was opened."""


@transaction.atomic
def referral_create(
    *,
    school: School,
    partner: Partner,
    student_ref: str,
    need_category: str,
    referred_on: dt.date,
    actor,
    source: str,
    grade: str = "",
    consent_on_file: bool = False,
    consent_date: dt.date | None = None,
    contact_preference: str = ContactPreference.PHONE,
    follow_up_on: dt.date | None = None,
    notes: str = "",
) -> Referral:
    check_channel(source)
    require_perm(actor, "crm.add_referral")
    require_school(actor, school.pk)
    if partner.merged_into_id:
        raise ValidationError(
            f"{partner} was merged into another record; refer to the surviving partner."
        )
    referral = Referral(
        school=school,
        partner=partner,
        student_ref=(student_ref or "").strip(),
        need_category=need_category,
        referred_on=referred_on,
        status_changed_on=referred_on,
        grade=grade,
        consent_on_file=consent_on_file,
        consent_date=consent_date,
        contact_preference=contact_preference,
        follow_up_on=follow_up_on,
        notes=notes,
        referred_by=actor if getattr(actor, "pk", None) else None,
    )
    validated_save(referral)
    ReferralStatusChange.objects.create(
        referral=referral,
        to_status=referral.status,
        changed_on=referred_on,
        changed_by=referral.referred_by,
    )
    # The audit trail never holds the student id: it is read more widely than referrals are.
    audit_record(
        actor=actor,
        source=source,
        action="referral.create",
        instance=referral,
        changes={"school": school.pk, "partner": partner.pk},
    )
    referral_notify(referral=referral, verb=NotificationVerb.REFERRAL_NEW, actor=actor)
    return referral


def _locked(referral: Referral, *, expected_version: int | None) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            "Someone else changed this referral after you opened it. "
            "Reload to see their changes, then try again.",
            code="stale",
        )
    return current


@transaction.atomic
def referral_update(
    *, referral: Referral, actor, source: str, data: dict, expected_version: int | None = None
) -> Referral:
    check_channel(source)
    require_perm(actor, "crm.change_referral")
    require_school(actor, referral.school_id)
    referral = _locked(referral, expected_version=expected_version)
    changes = apply_changes(referral, data, allowed=REFERRAL_FIELDS)
    if changes:
        referral.version += 1
        validated_save(referral)
        audit_record(
            actor=actor,
            source=source,
            action="referral.update",
            instance=referral,
            changes={k: "changed" for k in changes},
        )
    return referral


@transaction.atomic
def referral_status_change(
    *,
    referral: Referral,
    to_status: str,
    actor,
    source: str,
    reason: str = "",
    changed_on: dt.date | None = None,
    outcome: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Move a referral along its closed loop; a refused move says which moves are allowed, and
    closing needs an outcome (and a reason unless completed)."""
    check_channel(source)
    require_perm(actor, "crm.change_referral")
    require_school(actor, referral.school_id)
    referral = _locked(referral, expected_version=expected_version)
    allowed = TRANSITIONS.get(referral.status, set())
    if to_status not in allowed:
        names = (
            ", ".join(sorted(str(S(s).label) for s in allowed)) or "none (the referral is closed)"
        )
        raise ValidationError(
            f"A referral cannot go from {S(referral.status).label} to {S(to_status).label}. "
            f"Allowed: {names}."
        )
    if to_status in CLOSED_STATUSES:
        missing = {}
        if to_status != S.COMPLETED and not reason.strip():
            missing["reason"] = "Give a reason when closing a referral without completing it."
        # Every face closes the loop with what came of it (an earlier outcome counts).
        if not (outcome.strip() or referral.outcome.strip()):
            missing["outcome"] = "Record the outcome when closing a referral."
        if missing:
            raise ValidationError(missing)
    changed_on = changed_on or timezone.localdate()
    previous = referral.status
    referral.status, referral.status_changed_on = to_status, changed_on
    if outcome:
        referral.outcome = outcome
    referral.version += 1
    validated_save(referral)
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=previous,
        to_status=to_status,
        changed_on=changed_on,
        changed_by=actor if getattr(actor, "pk", None) else None,
        reason=reason,
    )
    audit_record(
        actor=actor,
        source=source,
        action="referral.status",
        instance=referral,
        changes={"status": [previous, to_status]},
    )
    return referral
