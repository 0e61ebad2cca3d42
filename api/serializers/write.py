"""What the API accepts for writes: types, lengths and references checked here, then the crm
service applies every business rule (duplicates, permissions, school scope, audit)."""

from __future__ import annotations

from rest_framework import serializers

from crm.models import (
    AgreementType,
    Contact,
    ContactPreference,
    CostKind,
    District,
    EligibilityFlag,
    EquityFocusGroup,
    EventKind,
    GradeLevel,
    Language,
    NeedCategory,
    Partner,
    PartnerKind,
    PartnershipScope,
    PartnershipStatus,
    PartnerStatus,
    ReferralCapacity,
    ReferralStatus,
    School,
    ServiceCategory,
    TouchpointChannel,
)

MAX_INT = 2**31 - 1
# "merged" is set only by a merge.
WRITABLE_PARTNER_STATUSES = [c for c in PartnerStatus.choices if c[0] != PartnerStatus.MERGED]


def text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def ids(model, **kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=model.objects.all(), many=True, required=False, **kwargs
    )


def slugs(model):
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=model.objects.all(), many=True, required=False
    )


def choice(choices, **kwargs):
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, **kwargs)


def codes(choices):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, max_length=len(choices)
    )


def live_partner(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=Partner.objects.live(), **kwargs)


class PartnerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False)
    status = serializers.ChoiceField(choices=WRITABLE_PARTNER_STATUSES, required=False)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=100
    )
    website = text(255)
    ein = text(20)
    phone = text(40)
    street = text(255)
    city = text(100)
    zip = text(10)
    description = text(20_000)
    description_es = text(20_000)
    public_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    public_phone = text(40)
    published = serializers.BooleanField(required=False)
    internal_notes = text(20_000)
    service_categories = slugs(ServiceCategory)
    equity_focus_groups = slugs(EquityFocusGroup)
    districts_served = ids(District)
    schools_served = ids(School)
    accepting_referrals = choice(ReferralCapacity.choices)
    monthly_capacity = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_INT
    )
    languages = codes(Language.choices)
    grades_from = choice(GradeLevel.choices)
    grades_to = choice(GradeLevel.choices)
    hours = text(255)
    hours_es = text(255)
    cost = choice(CostKind.choices)
    eligibility = codes(EligibilityFlag.choices)
    eligibility_notes = text(20_000)
    eligibility_notes_es = text(20_000)


class PartnerCreateSerializer(PartnerWriteSerializer):
    create_anyway = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Create even though likely duplicates exist (recorded in the audit trail).",
    )


class PartnerUpdateSerializer(PartnerWriteSerializer):
    name = serializers.CharField(max_length=255, required=False)


RELATED = ("service_categories", "equity_focus_groups", "districts_served", "schools_served")


class ContactWriteSerializer(serializers.Serializer):
    partner = live_partner()
    name = serializers.CharField(max_length=200)
    role = text(200)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = text(40)
    is_public = serializers.BooleanField(required=False)
    notes = text(20_000)


class ContactUpdateSerializer(ContactWriteSerializer):
    partner = None
    name = serializers.CharField(max_length=200, required=False)


class PartnershipWriteSerializer(serializers.Serializer):
    partner = live_partner()
    title = text(255)
    scope = serializers.ChoiceField(choices=PartnershipScope.choices, required=False)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=PartnershipStatus.choices, required=False)
    strategic = serializers.BooleanField(required=False)
    agreement_type = serializers.ChoiceField(choices=AgreementType.choices, required=False)
    notes = text(20_000)
    districts = ids(District)
    schools = ids(School)


class PartnershipUpdateSerializer(PartnershipWriteSerializer):
    partner = None
    start_date = serializers.DateField(required=False)


class PartnershipEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class TouchpointWriteSerializer(serializers.Serializer):
    partner = live_partner()
    # One of the partner's contacts; the service checks both that and the contact permission.
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    occurred_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=TouchpointChannel.choices)
    summary = serializers.CharField(max_length=20_000)
    next_step = text(255)
    follow_up_on = serializers.DateField(required=False, allow_null=True)


class EventWriteSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    kind = serializers.ChoiceField(choices=EventKind.choices)
    date = serializers.DateField()
    title = text(255)
    participants = serializers.IntegerField(min_value=0, max_value=MAX_INT, required=False)
    items_distributed = serializers.IntegerField(min_value=0, max_value=MAX_INT, required=False)
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.live(), many=True, required=False
    )
    notes = text(20_000)


class EventUpdateSerializer(EventWriteSerializer):
    school = None
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    date = serializers.DateField(required=False)


class FundingWriteSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=255)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    fiscal_year = serializers.IntegerField(min_value=1990, max_value=2100)
    partner = live_partner(required=False, allow_null=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    supports = text(255)
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True
    )


class ReferralWriteSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    partner = live_partner()
    student_ref = serializers.CharField(
        max_length=32, help_text="The school's pseudonymous student id, never a name."
    )
    need_category = serializers.ChoiceField(choices=NeedCategory.choices)
    referred_on = serializers.DateField()
    grade = text(4)
    consent_on_file = serializers.BooleanField(required=False)
    consent_date = serializers.DateField(required=False, allow_null=True)
    contact_preference = serializers.ChoiceField(choices=ContactPreference.choices, required=False)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    notes = text(20_000)


class ReferralStatusSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ReferralStatus.choices)
    reason = text(20_000)
    outcome = text(20_000)
    changed_on = serializers.DateField(required=False, allow_null=True)
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_INT,
        help_text="The version you read; a later change by someone else answers 409.",
    )


class MergeWriteSerializer(serializers.Serializer):
    survivor = live_partner(help_text="The partner that stays.")
    loser = live_partner(help_text="The partner merged into the survivor and retired.")
    field_choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["survivor", "loser"]),
        required=False,
        help_text='Per differing field, whose value wins: {"website": "loser"}.',
    )
