"""Query filters shared by the list endpoints: fiscal year, school, district, status, category,
and `updated_since` (rows created, or changed by any service, at or after a moment)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from crm.models import (
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    District,
    Event,
    EventKind,
    Funding,
    GrantStatus,
    GrantType,
    NeedCategory,
    Partner,
    PartnerKind,
    Partnership,
    PartnershipStatus,
    PartnerStatus,
    Referral,
    ReferralStatus,
    School,
    Touchpoint,
    TouchpointChannel,
)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A client's moment in UTC; offsets PostgreSQL cannot store, or overflows, are a 400."""
    try:
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValidationError({"updated_since": ["This moment is out of range."]}) from exc


def changed_since(queryset: QuerySet, since) -> QuerySet:
    """Rows created or changed at or after `since`: every service write is in the audit trail,
    so models without an updated_at column are found through it."""
    since = as_utc(since)
    model = queryset.model
    audited = (
        AuditEntry.objects.filter(model=model._meta.model_name, at__gte=since)
        .annotate(row=Cast("object_id", BigIntegerField()))
        .values("row")
    )
    condition = Q(pk__in=audited)
    names = {f.name for f in model._meta.get_fields()}
    for column in ("updated_at", "created_at"):
        if column in names:
            condition |= Q(**{f"{column}__gte": since})
    return queryset.filter(condition)


class ApiFilterSet(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        help_text="Only rows created or changed at or after this moment (ISO 8601).",
    )

    def filter_updated_since(self, queryset, name, value):
        return changed_since(queryset, value)


MAX_ID = 2**62


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    # Whole numbers, bounded: a huge one is a clear 400 rather than a database overflow.
    field_class = forms.IntegerField


@extend_schema_field({"type": "integer", "minimum": 1990, "maximum": 2100})
class FiscalYearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def id_filter(**kwargs):
    return IdFilter(min_value=1, max_value=MAX_ID, **kwargs)


def fy_filter(**kwargs):
    return FiscalYearFilter(
        min_value=1990,
        max_value=2100,
        help_text="Fiscal year by the year it ends: 2025 = FY 2024-25.",
        **kwargs,
    )


class PartnerFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=PartnerStatus.choices)
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    category = django_filters.CharFilter(
        field_name="service_categories__slug", help_text="Service category slug."
    )
    school = id_filter(field_name="schools_served", help_text="Serves this school id.")
    district = id_filter(field_name="districts_served", help_text="Serves this district id.")
    published = django_filters.BooleanFilter()

    class Meta:
        model = Partner
        fields = ["status", "kind", "category", "school", "district", "published"]


class ContactFilter(ApiFilterSet):
    partner = id_filter(field_name="partner_id")

    class Meta:
        model = Contact
        fields = ["partner"]


class PartnershipFilter(ApiFilterSet):
    partner = id_filter(field_name="partner_id")
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices)
    strategic = django_filters.BooleanFilter()
    fiscal_year = fy_filter(method="filter_fy")
    school = id_filter(field_name="schools")
    district = id_filter(field_name="districts")

    class Meta:
        model = Partnership
        fields = ["partner", "status", "strategic", "fiscal_year", "school", "district"]

    def filter_fy(self, queryset, name, value):
        # Active at some point in the fiscal year.
        fy = int(value)
        return queryset.filter(Q(start_fy__lte=fy) & (Q(end_fy__isnull=True) | Q(end_fy__gte=fy)))


class TouchpointFilter(ApiFilterSet):
    partner = id_filter(field_name="partner_id")
    channel = django_filters.ChoiceFilter(choices=TouchpointChannel.choices)
    fiscal_year = fy_filter(field_name="fiscal_year")

    class Meta:
        model = Touchpoint
        fields = ["partner", "channel", "fiscal_year"]


class EventFilter(ApiFilterSet):
    fiscal_year = fy_filter(field_name="fiscal_year")
    school = id_filter(field_name="school_id")
    district = id_filter(field_name="school__district_id")
    category = django_filters.ChoiceFilter(field_name="kind", choices=EventKind.choices)
    partner = id_filter(field_name="partners")

    class Meta:
        model = Event
        fields = ["fiscal_year", "school", "district", "category", "partner"]


class ReferralFilter(ApiFilterSet):
    fiscal_year = fy_filter(field_name="fiscal_year")
    school = id_filter(field_name="school_id")
    district = id_filter(field_name="school__district_id")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    category = django_filters.ChoiceFilter(field_name="need_category", choices=NeedCategory.choices)
    partner = id_filter(field_name="partner_id")

    class Meta:
        model = Referral
        fields = ["fiscal_year", "school", "district", "status", "category", "partner"]


class SchoolFilter(ApiFilterSet):
    district = id_filter(field_name="district_id")
    status = django_filters.CharFilter()

    class Meta:
        model = School
        fields = ["district", "status"]


class DistrictFilter(ApiFilterSet):
    status = django_filters.CharFilter()

    class Meta:
        model = District
        fields = ["status"]


class GrantFilter(ApiFilterSet):
    school = id_filter(field_name="school_id")
    district = id_filter(field_name="school__district_id")
    status = django_filters.ChoiceFilter(choices=GrantStatus.choices)
    category = django_filters.ChoiceFilter(field_name="grant_type", choices=GrantType.choices)
    fiscal_year = fy_filter(method="filter_fy")

    class Meta:
        model = CommunitySchoolGrant
        fields = ["school", "district", "status", "category", "fiscal_year"]

    def filter_fy(self, queryset, name, value):
        fy = int(value)
        return queryset.filter(start_fy__lte=fy, end_fy__gte=fy)


class FundingFilter(ApiFilterSet):
    fiscal_year = fy_filter(field_name="fiscal_year")
    school = id_filter(field_name="school_id")
    district = id_filter(field_name="school__district_id")
    partner = id_filter(field_name="partner_id")

    class Meta:
        model = Funding
        fields = ["fiscal_year", "school", "district", "partner"]
