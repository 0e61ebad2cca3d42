"""Referrals of students and families to partner services: pseudonymous, closed-loop, logged."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm.fiscal import fiscal_year_of
from crm.localtime import local_stamp
from crm.models.choices import ContactPreference, NeedCategory, ReferralStatus
from crm.models.partners import Partner
from crm.models.schools import School

# A local pseudonymous id, never a name: letters, digits and dashes, no spaces.
student_ref_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9\-]{2,31}$",
    _("Use the school's pseudonymous student id (3-32 letters, digits or dashes), never a name."),
)


class Referral(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    student_ref = models.CharField(
        _("student id (pseudonymous)"),
        max_length=32,
        validators=[student_ref_validator],
        db_index=True,
    )
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    need_category = models.CharField(_("need"), max_length=30, choices=NeedCategory.choices)
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
        db_index=True,
    )
    status_changed_on = models.DateField(_("status changed on"))
    consent_on_file = models.BooleanField(_("consent on file"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    contact_preference = models.CharField(
        _("contact preference"),
        max_length=20,
        choices=ContactPreference.choices,
        default=ContactPreference.PHONE,
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True, db_index=True)
    outcome = models.TextField(_("outcome"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised on every change, to catch edits from stale forms.")
    )
    fiscal_year = models.PositiveSmallIntegerField(editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("referral")
        # Cover the annual report's per-year counts and distinct people.
        indexes = [
            models.Index(
                fields=["fiscal_year", "status", "need_category"], name="referral_report_idx"
            ),
            models.Index(
                fields=["fiscal_year", "school", "student_ref"], name="referral_person_idx"
            ),
        ]
        permissions = [
            ("export_referral", "Can export referral rows of permitted schools"),
            ("view_disclosures", "Can list who saw a student's referrals"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_on_file=False) | Q(consent_date__isnull=False),
                name="referral_consent_has_date",
                violation_error_message=_("Give the date consent was put on file."),
            ),
            models.CheckConstraint(
                condition=Q(status_changed_on__gte=F("referred_on")),
                name="referral_status_after_referral",
                violation_error_message=_("A status cannot change before the referral was made."),
            ),
        ]

    def __str__(self) -> str:
        # The pseudonymous id only; this string may appear in admin lists of that school.
        return f"Referral #{self.pk} · {self.get_need_category_display()}"

    def save(self, *args, **kwargs):
        self.fiscal_year = fiscal_year_of(self.referred_on)
        super().save(*args, **kwargs)


class ReferralStatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=ReferralStatus.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} on {self.changed_on}"


class ReferralDisclosure(models.Model):
    """Who saw or exported student-level referral data, and when."""

    VIEW = "view"
    EXPORT = "export"
    PARTNER = "partner"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(
        max_length=10,
        choices=[
            (VIEW, _("viewed")),
            (EXPORT, _("exported")),
            (PARTNER, _("seen by the partner through a referral link")),
        ],
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_ref = models.CharField(max_length=32, blank=True, db_index=True)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        what = self.student_ref or self.detail
        return f"{self.user} {self.action} {what} at {local_stamp(self.at)}"
