"""Partner organizations, the people who work there, and the vocabularies that describe them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm.models.choices import PartnerKind, PartnerStatus
from crm.models.schools import District, School
from crm.weblinks import validate_web_url


class ServiceCategory(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name


class EquityFocusGroup(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("equity focus group")

    def __str__(self) -> str:
        return self.name


class PartnerQuerySet(models.QuerySet):
    def live(self):
        """Partners that stand on their own: not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def merged(self):
        return self.filter(merged_into__isnull=False)


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Every other name it is or was known by."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.NONPROFIT
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnerStatus.choices,
        default=PartnerStatus.ACTIVE,
        db_index=True,
    )
    website = models.CharField(
        _("website"), max_length=255, blank=True, validators=[validate_web_url]
    )
    ein = models.CharField(_("EIN"), max_length=20, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    zip = models.CharField(_("ZIP"), max_length=10, blank=True)
    service_categories = models.ManyToManyField(
        ServiceCategory, blank=True, related_name="partners"
    )
    equity_focus_groups = models.ManyToManyField(
        EquityFocusGroup, blank=True, related_name="partners"
    )
    districts_served = models.ManyToManyField(District, blank=True, related_name="partners_serving")
    schools_served = models.ManyToManyField(School, blank=True, related_name="partners_serving")
    description = models.TextField(_("public description"), blank=True)
    description_es = models.TextField(_("public description (Spanish)"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    published = models.BooleanField(_("published on the public site"), default=False, db_index=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_partners"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organization")
        permissions = [("merge_partner", "Can merge duplicate partners and undo merges")]
        # The public directory lists published partners by name, a page at a time, and counts
        # them: a partial index holding only those rows serves both (an index-only count).
        # It also holds the columns of its condition: SQLite re-checks the condition on every
        # row and would otherwise read each partner's full row to count them.
        indexes = [
            models.Index(
                fields=["name", "id", "published", "merged_into"],
                condition=Q(published=True, merged_into__isnull=True),
                name="partner_public_list_idx",
            ),
            # The matcher index catches up on the rows saved since its last look.
            models.Index(fields=["updated_at"], name="partner_updated_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="partner_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(published=False),
                name="merged_partner_not_published",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if not (self.name or "").strip():
            raise ValidationError({"name": _("A partner needs a name.")})
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Aliases must be a list of names.")})


class Contact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_public = models.BooleanField(_("public contact"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"
