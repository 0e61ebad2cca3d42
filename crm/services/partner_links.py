"""Partner referral links: a coordinator shares one referral with the partner that received it,
and the partner reports accepted, declined, unable to reach or completed, with no account.

The URL token is a random secret signed with the site's key: a forged token fails the signature,
a real one is found by the hash of its secret. Each link is for one referral, expires, can be
withdrawn, and stops accepting updates once the referral is closed. Every view, update and
refusal is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from crm.models import (
    Channel,
    Contact,
    NotificationVerb,
    Referral,
    ReferralDisclosure,
    ReferralPartnerLink,
    ReferralStatus,
)
from crm.services.base import audit_entry, audit_record, check_channel, require_perm, require_school
from crm.services.disclosures import disclosure_record
from crm.services.notifications import referral_notify
from crm.services.referrals import CLOSED_STATUSES, TRANSITIONS, referral_status_change

log = logging.getLogger(__name__)
S = ReferralStatus
SALT = "crm.partner-referral-link"
SOURCE = Channel.PARTNER
# What a partner may report; the rest of the loop belongs to the coordinator.
PARTNER_STATUSES = (S.ACCEPTED, S.IN_SERVICE, S.COMPLETED, S.DECLINED, S.UNABLE_TO_REACH)
HAPPY_PATH = (S.REFERRED, S.ACCEPTED, S.IN_SERVICE, S.COMPLETED)


class LinkRefused(Exception):
    """The link cannot be used; `gone` tells an expired or withdrawn link from an unknown one."""

    def __init__(self, message: str, *, gone: bool = False):
        super().__init__(message)
        self.gone = gone


def link_days() -> int:
    return int(getattr(settings, "REFERRAL_LINK_DAYS", 14))


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def referral_link_create(
    *,
    referral: Referral,
    actor,
    source: str,
    contact: Contact | None = None,
    url_for: Callable[[str], str] | None = None,
) -> tuple[ReferralPartnerLink, str]:
    """A new link for an open referral (withdrawing any earlier one); returns it and its token,
    which is shown once and never stored. With a contact who has an e-mail address and
    `url_for` (token -> absolute URL), the link is e-mailed to the contact once the link is saved.
    """
    check_channel(source)
    require_perm(actor, "crm.change_referral")
    require_school(actor, referral.school_id)
    if referral.status in CLOSED_STATUSES:
        raise ValidationError("This referral is closed; there is nothing left for the partner.")
    if contact is not None and contact.partner_id != referral.partner_id:
        raise ValidationError({"contact": "Choose a contact of the partner the referral went to."})
    now = timezone.now()
    for old in ReferralPartnerLink.objects.filter(referral=referral, revoked_at__isnull=True):
        _revoke(old, actor=actor, source=source, now=now)
    secret = secrets.token_urlsafe(32)
    link = ReferralPartnerLink.objects.create(
        referral=referral,
        contact=contact,
        secret_hash=_hash(secret),
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=now + dt.timedelta(days=link_days()),
    )
    audit_record(
        actor=actor,
        source=source,
        action="referral_link.create",
        instance=link,
        changes={"referral": referral.pk, "contact": getattr(contact, "pk", None)},
    )
    token = signing.Signer(salt=SALT).sign(secret)
    if contact is not None and contact.email and url_for is not None:
        url = url_for(token)
        transaction.on_commit(lambda: _email_link(contact=contact, referral=referral, url=url))
    return link, token


def _email_link(*, contact: Contact, referral: Referral, url: str) -> None:
    # Only what the partner needs to find the case: no student id in the e-mail itself.
    body = (
        f"Hello {contact.name},\n\n"
        f"{referral.school.name} referred a student or family to {referral.partner.name} "
        f"on {referral.referred_on:%Y-%m-%d} ({referral.get_need_category_display()}).\n"
        "Please tell the coordinator whether you accepted the referral and how it ended:\n\n"
        f"{url}\n\nThe link works for {link_days()} days and shows this referral only.\n"
    )
    send_mail(
        subject="A referral is waiting for your update",
        message=body,
        from_email=None,
        recipient_list=[contact.email],
    )


def _revoke(link: ReferralPartnerLink, *, actor, source: str, now) -> None:
    link.revoked_at = now
    link.revoked_by = actor if getattr(actor, "pk", None) else None
    link.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, source=source, action="referral_link.revoke", instance=link)


@transaction.atomic
def referral_link_revoke(*, link: ReferralPartnerLink, actor, source: str) -> None:
    check_channel(source)
    require_perm(actor, "crm.change_referral")
    require_school(actor, link.referral.school_id)
    if link.revoked_at is None:
        _revoke(link, actor=actor, source=source, now=timezone.now())


def _refuse(reason: str, *, link: ReferralPartnerLink | None = None, gone: bool = False):
    log.warning("partner referral link refused: %s (link %s)", reason, getattr(link, "pk", "-"))
    audit_entry(
        actor=None,
        source=SOURCE,
        action="referral_link.refused",
        model="referralpartnerlink",
        object_id=str(getattr(link, "pk", "-")),
        object_repr=reason[:255],
    ).save()
    message = (
        "This link has expired or was withdrawn. Ask the coordinator for a new one."
        if gone
        else "This link is not valid."
    )
    raise LinkRefused(message, gone=gone)


def referral_link_open(*, token: str) -> ReferralPartnerLink:
    """The link a token names, if it may still be used; refusals are logged and raised."""
    try:
        secret = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        _refuse("bad signature")
    link = (
        ReferralPartnerLink.objects.select_related(
            "referral", "referral__school", "referral__partner", "referral__referred_by"
        )
        .filter(secret_hash=_hash(secret))
        .first()
    )
    if link is None:
        _refuse("signed but unknown secret")
    if link.revoked_at is not None:
        _refuse("withdrawn", link=link, gone=True)
    if link.expires_at <= timezone.now():
        _refuse("expired", link=link, gone=True)
    return link


def partner_choices(status: str) -> list[str]:
    """The statuses a partner may report from the referral's current one."""
    reachable = set(TRANSITIONS.get(status, ()))
    if status in HAPPY_PATH:
        reachable |= set(HAPPY_PATH[HAPPY_PATH.index(status) + 1 :])
    return [s for s in PARTNER_STATUSES if s in reachable]


@transaction.atomic
def referral_link_seen(*, link: ReferralPartnerLink) -> None:
    """Log that the partner opened the referral through the link."""
    ReferralPartnerLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    disclosure_record(
        actor=None,
        source=SOURCE,
        action=ReferralDisclosure.PARTNER,
        referrals=[link.referral],
        detail=f"opened partner link #{link.pk}",
    )


class _Closed(Exception):
    pass


def referral_link_report(
    *, token: str, to_status: str, reason: str = "", outcome: str = ""
) -> Referral:
    """Apply a partner's report. A repeat of the status the referral already has writes nothing;
    "completed" from an earlier step records the steps between."""
    link = referral_link_open(token=token)
    try:
        return _report(link, to_status=to_status, reason=reason, outcome=outcome)
    except _Closed:
        _refuse("update after the referral closed", link=link, gone=True)


@transaction.atomic
def _report(link: ReferralPartnerLink, *, to_status: str, reason: str, outcome: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=link.referral_id)
    if to_status == referral.status:
        return referral
    if referral.status in CLOSED_STATUSES:
        raise _Closed
    if to_status not in partner_choices(referral.status):
        raise ValidationError(
            {"status": f"This referral is {S(referral.status).label.lower()}; choose another step."}
        )
    if to_status in (S.DECLINED, S.UNABLE_TO_REACH) and not reason.strip():
        raise ValidationError({"reason": "Say why, so the coordinator can find other help."})
    if to_status == S.COMPLETED and not outcome.strip():
        raise ValidationError({"outcome": "Describe the outcome of the service."})
    steps = [to_status]
    if to_status in HAPPY_PATH and referral.status in HAPPY_PATH:
        start = HAPPY_PATH.index(referral.status) + 1
        steps = list(HAPPY_PATH[start : HAPPY_PATH.index(to_status) + 1])
    note = f"Reported by {referral.partner.name} through partner link #{link.pk}"
    for step in steps:
        referral = referral_status_change(
            referral=referral,
            to_status=step,
            actor=None,
            source=SOURCE,
            reason=f"{note}: {reason.strip()}" if reason.strip() else note,
            # Closing needs an outcome; for a decline, the partner's reason is what came of it.
            outcome=(outcome.strip() or reason.strip()) if step in CLOSED_STATUSES else "",
        )
    ReferralPartnerLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    disclosure_record(
        actor=None,
        source=SOURCE,
        action=ReferralDisclosure.PARTNER,
        referrals=[referral],
        detail=f"partner link #{link.pk} reported {to_status}",
    )
    referral_notify(
        referral=referral,
        verb=NotificationVerb.REFERRAL_PARTNER_UPDATE,
        actor=None,
        detail={"status": to_status},
    )
    return referral
