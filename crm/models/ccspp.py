"""What a community school needs and already has, per fiscal year, and the CCSPP pillars that
events and partnerships serve; the state's progress reports are built from these.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models.choices import AssetKind, NeedPriority, NeedSource
from crm.models.partners import ServiceCategory
from crm.models.schools import School

FY_RANGE = [MinValueValidator(2000), MaxValueValidator(2100)]


class Pillar(models.Model):
    """One of the four pillars; rows are fixed (seeded by a migration), tagged on records."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("CCSPP pillar")

    def __str__(self) -> str:
        return self.name


class SchoolNeed(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="needs")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=FY_RANGE, help_text=_("The year it ends: 2025 for FY 2024-25.")
    )
    category = models.ForeignKey(
        ServiceCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_needs",
        help_text=_("The service category that would meet it; leave empty for other needs."),
    )
    description = models.CharField(_("need"), max_length=255, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=NeedPriority.choices, default=NeedPriority.MEDIUM
    )
    source = models.CharField(
        _("source"), max_length=20, choices=NeedSource.choices, default=NeedSource.SURVEY
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school__name", "-fiscal_year", "priority", "id"]
        verbose_name = _("school need")
        indexes = [models.Index(fields=["fiscal_year", "school"], name="need_fy_school_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=False) | ~Q(description=""),
                name="need_has_category_or_text",
                violation_error_message=_("Name the need: pick a category or describe it."),
            ),
        ]

    def __str__(self) -> str:
        what = self.category.name if self.category_id else self.description
        return f"{self.school} · {what}"


class SchoolAsset(models.Model):
    """Something the school already has: an on-site program, staff, a facility.

    Partners serving the school are assets too; they come from the partner records, not here.
    """

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="assets")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=FY_RANGE)
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    name = models.CharField(_("name"), max_length=255)
    category = models.ForeignKey(
        ServiceCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_assets",
        help_text=_("The service category it provides, if any."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school__name", "-fiscal_year", "kind", "name"]
        verbose_name = _("school asset")

    def __str__(self) -> str:
        return f"{self.school} · {self.name}"
