"""Districts, schools and the CCSPP community-school grants they hold."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm.fiscal import fiscal_year_of
from crm.models.choices import GrantStatus, GrantType
from crm.weblinks import validate_web_url

cds_code_validator = RegexValidator(r"^\d{14}$", _("A CDS code is 14 digits."))


class District(models.Model):
    cds_code = models.CharField(
        _("CDS code"), max_length=14, unique=True, validators=[cds_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    district_type = models.CharField(_("type"), max_length=100, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    zip = models.CharField(_("ZIP"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.CharField(
        _("website"), max_length=200, blank=True, validators=[validate_web_url]
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, default="Active")
    boundary = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        help_text=_("The district's outline as a GeoJSON geometry (Polygon or MultiPolygon)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    cds_code = models.CharField(
        _("CDS code"), max_length=14, unique=True, validators=[cds_code_validator]
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    zip = models.CharField(_("ZIP"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.CharField(
        _("website"), max_length=200, blank=True, validators=[validate_web_url]
    )
    school_type = models.CharField(_("school type"), max_length=100, blank=True)
    grades = models.CharField(_("grades"), max_length=20, blank=True)
    charter = models.BooleanField(_("charter"), default=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, default="Active")
    description = models.TextField(_("public description"), blank=True)
    description_es = models.TextField(_("public description (Spanish)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")

    def __str__(self) -> str:
        return self.name


class CommunitySchoolGrant(models.Model):
    """A CCSPP grant; the school counts as CCSPP-funded in every fiscal year the grant spans."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="grants")
    grant_type = models.CharField(_("grant type"), max_length=20, choices=GrantType.choices)
    cohort = models.PositiveSmallIntegerField(_("cohort"))
    amount = models.DecimalField(_("award amount"), max_digits=12, decimal_places=2, default=0)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.ACTIVE
    )
    start_fy = models.PositiveSmallIntegerField(editable=False, db_index=True)
    end_fy = models.PositiveSmallIntegerField(editable=False, db_index=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("CCSPP grant")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="grant_end_after_start",
                violation_error_message=_("The grant cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="grant_amount_not_negative",
                violation_error_message=_("The award amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.get_grant_type_display()} (cohort {self.cohort})"

    def save(self, *args, **kwargs):
        # Reports group by these columns, so they are stored, not computed per query.
        self.start_fy = fiscal_year_of(self.start_date)
        self.end_fy = fiscal_year_of(self.end_date)
        super().save(*args, **kwargs)
