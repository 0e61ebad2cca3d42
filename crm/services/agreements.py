"""Signed agreements on partnerships: upload (PDF or DOCX, checked by content and size),
renewal updates, and the reminders sent 60 and 30 days before an agreement expires."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from crm.models import (
    AgreementReminder,
    AgreementType,
    NotificationVerb,
    Partnership,
    PartnershipAgreement,
)
from crm.selectors.agreements import reminders_due
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    require_perm,
    validated_save,
)
from crm.services.followups import SlackClient, default_slack_client
from crm.services.notifications import notifications_create

log = logging.getLogger(__name__)
UPDATE_FIELDS = {"kind", "signed_on", "expires_on", "renewal_status"}


def _max_bytes() -> int:
    return int(getattr(settings, "AGREEMENT_MAX_BYTES", 10 * 1024 * 1024))


def check_document(*, name: str, data: bytes) -> str:
    """The document's type ("pdf" or "docx") if its name and content agree; else a clear error."""
    limit = _max_bytes()
    if len(data) > limit:
        raise ValidationError({"document": f"The file is larger than {limit // (1024 * 1024)} MB."})
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "pdf" and data.startswith(b"%PDF-"):
        return "pdf"
    if suffix == "docx" and data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
    raise ValidationError(
        {"document": "Upload the signed agreement as a PDF or Word (.docx) file."}
    )


@transaction.atomic
def agreement_upload(
    *,
    partnership: Partnership,
    kind: str,
    document,
    signed_on: dt.date,
    actor,
    source: str,
    expires_on: dt.date | None = None,
) -> PartnershipAgreement:
    check_channel(source)
    require_perm(actor, "crm.add_partnershipagreement")
    if kind == AgreementType.INFORMAL:
        raise ValidationError({"kind": "An informal partnership has no signed agreement."})
    name = getattr(document, "name", "") or ""
    data = document.read()
    check_document(name=name, data=data)
    document.seek(0)
    agreement = PartnershipAgreement(
        partnership=partnership,
        kind=kind,
        document=document,
        original_name=name.rsplit("/", 1)[-1][:255],
        signed_on=signed_on,
        expires_on=expires_on,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    validated_save(agreement)
    audit_record(
        actor=actor,
        source=source,
        action="agreement.upload",
        instance=agreement,
        changes={"partnership": partnership.pk, "kind": kind, "file": agreement.original_name},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: PartnershipAgreement, data: dict, actor, source: str
) -> PartnershipAgreement:
    check_channel(source)
    require_perm(actor, "crm.change_partnershipagreement")
    changes = apply_changes(agreement, data, allowed=UPDATE_FIELDS)
    validated_save(agreement)
    if changes:
        audit_record(
            actor=actor,
            source=source,
            action="agreement.update",
            instance=agreement,
            changes=changes,
        )
    return agreement


@dataclass
class ReminderResult:
    sent: int = 0
    failures: list[str] = field(default_factory=list)


def _reminder_text(agreement: PartnershipAgreement, days: int) -> str:
    p = agreement.partnership
    return (
        f"The {agreement.get_kind_display()} with {p.partner.name} expires on "
        f"{agreement.expires_on:%Y-%m-%d} (within {days} days). "
        "Start the renewal, or mark it as not renewing, in Partnerbase: "
        f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/crm/agreements/{agreement.pk}/"
    )


def agreement_reminders_send(
    *, today: dt.date, source: str, slack_client: SlackClient | None = None
) -> ReminderResult:
    """Remind each agreement's lead staff member once at 60 and once at 30 days before expiry
    (e-mail, and a Slack DM when the bot is set up). A reminder is recorded before it is sent,
    so a second run, or a second process, never sends it twice."""
    check_channel(source)
    slack = slack_client if slack_client is not None else default_slack_client()
    result = ReminderResult()
    for agreement, days in reminders_due(today=today):
        try:
            with transaction.atomic():
                AgreementReminder.objects.create(
                    agreement=agreement, days_before=days, sent_on=today
                )
                # Committed with the claim, so the "agreement expiring" event (webhooks read
                # the audit trail) fires once per agreement and threshold, whoever is reminded.
                audit_record(
                    actor=None,
                    source=source,
                    action="agreement.expiring",
                    instance=agreement,
                    changes={"days_before": days, "expires_on": agreement.expires_on.isoformat()},
                )
                # In-app too, with the claim: the dashboard shows it even when mail fails.
                notifications_create(
                    recipients=[agreement.partnership.lead_staff],
                    verb=NotificationVerb.AGREEMENT_EXPIRING,
                    target=agreement,
                    actor=None,
                    detail={"days_before": days},
                )
        except IntegrityError:
            continue  # another process sent this one
        lead = agreement.partnership.lead_staff
        if lead is None or not lead.is_active:
            result.failures.append(f"{agreement}: no active lead staff member to remind")
            continue
        text = _reminder_text(agreement, days)
        if lead.email:
            try:
                send_mail("Partnerbase: an agreement expires soon", text, None, [lead.email])
                result.sent += 1
            except Exception as exc:  # noqa: BLE001 - any mail failure is reported
                result.failures.append(f"email to {lead.username}: {exc}")
        slack_id = getattr(getattr(lead, "staff_profile", None), "slack_user_id", None)
        if slack is not None and slack_id:
            try:
                slack.chat_postMessage(channel=slack_id, text=text)
            except Exception as exc:  # noqa: BLE001 - SlackApiError or network failure
                log.warning("Slack reminder to %s failed: %s", lead.username, exc)
                result.failures.append(f"Slack DM to {lead.username}: {exc}")
    return result
