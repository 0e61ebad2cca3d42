"""Signed agreements behind partnerships (MOU, data-sharing agreement, contract): private
documents with signed and expiry dates, renewal status, and the reminders sent before expiry."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm.models.activity import Partnership
from crm.models.choices import AgreementType


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT with no URL: served only through a view that checks who asks."""

    def url(self, name):
        raise ValueError("Private documents have no public URL; use the download view.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)


class RenewalStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    IN_PROGRESS = "in_progress", _("Renewal in progress")
    RENEWED = "renewed", _("Renewed (a newer agreement is on file)")
    NOT_RENEWING = "not_renewing", _("Not renewing")


class PartnershipAgreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementType.choices)
    document = models.FileField(
        _("signed document"), upload_to="agreements/%Y/", storage=private_storage
    )
    original_name = models.CharField(max_length=255, blank=True)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    renewal_status = models.CharField(
        _("renewal"), max_length=20, choices=RenewalStatus.choices, default=RenewalStatus.CURRENT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "-signed_on"]
        verbose_name = _("partnership agreement")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="agreement_expires_after_signing",
                violation_error_message=_("An agreement cannot expire before it was signed."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=AgreementType.INFORMAL),
                name="agreement_is_a_signed_kind",
                violation_error_message=_("An informal partnership has no signed agreement."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.partnership}"


class AgreementReminder(models.Model):
    """A reminder sent N days before an agreement expires; sent once per threshold."""

    agreement = models.ForeignKey(
        PartnershipAgreement, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before"], name="agreement_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for {self.agreement}"
