"""What happens with partners: partnerships, touchpoints, school events and funding."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm.fiscal import fiscal_year_of
from crm.models.choices import (
    AgreementType,
    EventKind,
    PartnershipScope,
    PartnershipStatus,
    TouchpointChannel,
)
from crm.models.partners import Contact, Partner
from crm.models.schools import District, School
from crm.weblinks import validate_web_url


class Partnership(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="partnerships")
    title = models.CharField(_("title"), max_length=255, blank=True)
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=PartnershipScope.choices,
        default=PartnershipScope.COUNTYWIDE,
    )
    districts = models.ManyToManyField(District, blank=True, related_name="partnerships")
    schools = models.ManyToManyField(School, blank=True, related_name="partnerships")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    strategic = models.BooleanField(_("strategic"), default=False, db_index=True)
    pillars = models.ManyToManyField(
        "crm.Pillar", blank=True, related_name="partnerships", verbose_name=_("CCSPP pillars")
    )
    agreement_type = models.CharField(
        _("agreement type"),
        max_length=20,
        choices=AgreementType.choices,
        default=AgreementType.INFORMAL,
    )
    lead_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_partnerships",
    )
    notes = models.TextField(_("internal notes"), blank=True)
    start_fy = models.PositiveSmallIntegerField(editable=False, db_index=True)
    end_fy = models.PositiveSmallIntegerField(editable=False, null=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("partnership")
        permissions = [("view_report", "Can view the annual partnership report")]
        # Covers every annual-report query on partnerships, so they read the index only.
        indexes = [
            models.Index(
                fields=[
                    "strategic",
                    "start_fy",
                    "end_fy",
                    "end_date",
                    "status",
                    "partner",
                    "agreement_type",
                ],
                name="partnership_report_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partnership_end_after_start",
                violation_error_message=_("A partnership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.partner} ({self.start_date:%Y})"

    def save(self, *args, **kwargs):
        # Stored for the annual report's grouped queries.
        self.start_fy = fiscal_year_of(self.start_date)
        self.end_fy = fiscal_year_of(self.end_date) if self.end_date else None
        super().save(*args, **kwargs)


class Touchpoint(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="touchpoints")
    occurred_on = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touchpoints",
    )
    # Whom the touchpoint was with: one of the partner's own contacts (crm.services.activity).
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="touchpoints",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=TouchpointChannel.choices)
    summary = models.TextField(_("summary"))
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True, db_index=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    slack_permalink = models.URLField(
        _("Slack message"), blank=True, max_length=500, validators=[validate_web_url]
    )
    fiscal_year = models.PositiveSmallIntegerField(editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("touchpoint")

    def __str__(self) -> str:
        return f"{self.partner} · {self.occurred_on} · {self.get_channel_display()}"

    def save(self, *args, **kwargs):
        self.fiscal_year = fiscal_year_of(self.occurred_on)
        super().save(*args, **kwargs)


class Event(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    date = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    items_distributed = models.PositiveIntegerField(_("items distributed"), default=0)
    partners = models.ManyToManyField(
        Partner, through="EventPartner", blank=True, related_name="events"
    )
    notes = models.TextField(_("notes"), blank=True)
    pillars = models.ManyToManyField(
        "crm.Pillar", blank=True, related_name="events", verbose_name=_("CCSPP pillars")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_events",
    )
    fiscal_year = models.PositiveSmallIntegerField(editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("event")
        # Covers the annual report's per-year sums, so they read the index only.
        indexes = [
            models.Index(
                fields=["fiscal_year", "kind", "participants", "items_distributed"],
                name="event_report_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=0),
                name="event_participants_not_negative",
                violation_error_message=_("Participants cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(items_distributed__gte=0),
                name="event_items_not_negative",
                violation_error_message=_("Items distributed cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} at {self.school} on {self.date}"

    def save(self, *args, **kwargs):
        self.fiscal_year = fiscal_year_of(self.date)
        super().save(*args, **kwargs)


class EventPartner(models.Model):
    """A partner present at an event; an explicit table so the partner side is PROTECT."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="event_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "partner"], name="event_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.partner} at {self.event}"


class Funding(models.Model):
    source = models.CharField(_("source"), max_length=255)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding",
        help_text=_("The partner organization that provided it, if any."),
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), db_index=True, help_text=_("The year it ends: 2025 for FY 2024-25.")
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    supports = models.CharField(_("what it supports"), max_length=255, blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="funding"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "source"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=1990) & Q(fiscal_year__lte=2100),
                name="funding_fiscal_year_plausible",
                violation_error_message=_("The fiscal year is out of range."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} · ${self.amount:,.0f}"
