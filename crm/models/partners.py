"""Partner organizations, the people who work there, and the vocabularies that describe them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm.models.choices import (
    CostKind,
    EligibilityFlag,
    GradeLevel,
    Language,
    PartnerKind,
    PartnerStatus,
    ReferralCapacity,
)
from crm.models.schools import District, School
from crm.weblinks import validate_web_url


def check_choice_list(value, choices: type[models.TextChoices], what: str) -> None:
    """A JSON list of codes drawn from one vocabulary, each at most once."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give the %(what)s as a list of codes.") % {"what": what})
    unknown = sorted(set(value) - {c.value for c in choices})
    if unknown:
        raise ValidationError(
            _("Unknown %(what)s: %(codes)s.") % {"what": what, "codes": ", ".join(unknown)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each of the %(what)s once.") % {"what": what})


def validate_languages(value) -> None:
    check_choice_list(value, Language, "languages")


def validate_eligibility(value) -> None:
    check_choice_list(value, EligibilityFlag, "eligibility flags")


GRADE_ORDER = [g.value for g in GradeLevel]


class ServiceCategory(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    pillars = models.ManyToManyField(
        "crm.Pillar",
        blank=True,
        related_name="service_categories",
        verbose_name=_("CCSPP pillars"),
        help_text=_("Progress packs count referrals for this service under these pillars."),
    )

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
    # Service details: what a coordinator needs to know before referring a family.
    accepting_referrals = models.CharField(
        _("new referrals"), max_length=20, choices=ReferralCapacity.choices, blank=True
    )
    monthly_capacity = models.PositiveIntegerField(
        _("referrals a month"),
        null=True,
        blank=True,
        help_text=_("How many new referrals a month they can take, if they say."),
    )
    languages = models.JSONField(
        _("languages offered"), default=list, blank=True, validators=[validate_languages]
    )
    grades_from = models.CharField(
        _("grades served from"), max_length=5, choices=GradeLevel.choices, blank=True
    )
    grades_to = models.CharField(
        _("grades served to"), max_length=5, choices=GradeLevel.choices, blank=True
    )
    hours = models.CharField(_("hours"), max_length=255, blank=True)
    hours_es = models.CharField(_("hours (Spanish)"), max_length=255, blank=True)
    cost = models.CharField(_("cost"), max_length=20, choices=CostKind.choices, blank=True)
    eligibility = models.JSONField(
        _("eligibility"), default=list, blank=True, validators=[validate_eligibility]
    )
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)
    eligibility_notes_es = models.TextField(_("eligibility notes (Spanish)"), blank=True)
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
            # The same rows by id: counted (the directory's total, the public search's stamp with
            # the newest updated_at) and probed by id (does this school have a published
            # partner?) from the index alone, without reading partner rows.
            models.Index(
                fields=["id", "published", "merged_into"],
                include=["updated_at"],
                condition=Q(published=True, merged_into__isnull=True),
                name="partner_published_idx",
            ),
            # The matcher index catches up on the rows saved since its last look.
            models.Index(fields=["updated_at"], name="partner_updated_at_idx"),
            # The admin's partner list pages through every partner by name: without this,
            # each page sorts the whole table (60-80 ms at 100k partners on PostgreSQL).
            models.Index(fields=["name", "id"], name="partner_name_idx"),
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
        if not (self.name or "").strip():
            raise ValidationError({"name": _("A partner needs a name.")})
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Aliases must be a list of names.")})
        if (
            self.grades_from in GRADE_ORDER
            and self.grades_to in GRADE_ORDER
            and GRADE_ORDER.index(self.grades_from) > GRADE_ORDER.index(self.grades_to)
        ):
            raise ValidationError({"grades_to": _("The last grade served comes before the first.")})


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
