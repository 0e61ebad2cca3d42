"""What each resource looks like when read. Contact details appear only with the contact
permission; referral rows carry a pseudonymous student id only, never a name."""

from __future__ import annotations

from rest_framework import serializers

from crm.models import (
    CommunitySchoolGrant,
    Contact,
    District,
    EligibilityFlag,
    Event,
    Funding,
    Language,
    MergeRecord,
    Partner,
    Partnership,
    Referral,
    School,
    Touchpoint,
)
from crm.models.editable import (
    CONTACT_FIELDS,
    DISTRICT_FIELDS,
    FUNDING_FIELDS,
    GRANT_FIELDS,
    PARTNER_SERVICE_FIELDS,
    PARTNERSHIP_FIELDS,
    SCHOOL_FIELDS,
    fields_with,
)


class ContactSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id", read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "partner", *CONTACT_FIELDS, "created_at"]


class PartnerSerializer(serializers.ModelSerializer):
    # Filled by api.views.partners.attach_links: one id query per relation for a whole page.
    service_categories = serializers.ListField(
        child=serializers.SlugField(), source="link_service_categories", read_only=True
    )
    equity_focus_groups = serializers.ListField(
        child=serializers.SlugField(), source="link_equity_focus_groups", read_only=True
    )
    schools_served = serializers.ListField(
        child=serializers.IntegerField(), source="link_schools_served", read_only=True
    )
    districts_served = serializers.ListField(
        child=serializers.IntegerField(), source="link_districts_served", read_only=True
    )
    merged_into = serializers.IntegerField(source="merged_into_id", read_only=True, allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), read_only=True
    )
    eligibility = serializers.ListField(
        child=serializers.ChoiceField(choices=EligibilityFlag.choices), read_only=True
    )
    contacts = ContactSerializer(many=True, read_only=True, required=False)

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "slug",
            "aliases",
            "kind",
            "status",
            "website",
            "ein",
            "phone",
            "street",
            "city",
            "zip",
            "service_categories",
            "equity_focus_groups",
            "districts_served",
            "schools_served",
            *PARTNER_SERVICE_FIELDS,
            "description",
            "description_es",
            "public_email",
            "public_phone",
            "published",
            "internal_notes",
            "merged_into",
            "created_at",
            "updated_at",
            "contacts",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        # The schema is generated without a user: it documents the field as optional.
        if user is not None and not user.has_perm("crm.view_contact"):
            fields.pop("contacts")
        return fields


class PartnershipSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    lead_staff = serializers.IntegerField(source="lead_staff_id", read_only=True, allow_null=True)
    schools = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    districts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "partner",
            *fields_with(PARTNERSHIP_FIELDS, after="scope", extra=("districts", "schools")),
            "start_fy",
            "end_fy",
            "created_at",
        ]


class TouchpointSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    contact = serializers.IntegerField(source="contact_id", read_only=True, allow_null=True)
    staff = serializers.IntegerField(source="staff_id", read_only=True, allow_null=True)

    class Meta:
        model = Touchpoint
        fields = [
            "id",
            "partner",
            "contact",
            "occurred_on",
            "staff",
            "channel",
            "summary",
            "next_step",
            "follow_up_on",
            "follow_up_done",
            "slack_permalink",
            "fiscal_year",
            "created_at",
        ]


class EventSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="school_id", read_only=True)
    district = serializers.IntegerField(source="school.district_id", read_only=True)
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "school",
            "district",
            "kind",
            "title",
            "date",
            "participants",
            "items_distributed",
            "partners",
            "notes",
            "recorded_by",
            "fiscal_year",
            "created_at",
        ]


class ReferralSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="school_id", read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "school",
            "partner",
            "student_ref",
            "grade",
            "need_category",
            "referred_on",
            "status",
            "status_changed_on",
            "consent_on_file",
            "consent_date",
            "contact_preference",
            "follow_up_on",
            "outcome",
            "notes",
            "version",
            "fiscal_year",
            "created_at",
            "updated_at",
        ]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "cds_code", *DISTRICT_FIELDS]


class SchoolSerializer(serializers.ModelSerializer):
    district = serializers.IntegerField(source="district_id", read_only=True)

    class Meta:
        model = School
        fields = ["id", "cds_code", *fields_with(SCHOOL_FIELDS, after="name", extra=("slug",))]


class GrantSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="school_id", read_only=True)

    class Meta:
        model = CommunitySchoolGrant
        fields = ["id", "school", *GRANT_FIELDS, "start_fy", "end_fy"]


class FundingSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)
    school = serializers.IntegerField(source="school_id", read_only=True, allow_null=True)

    class Meta:
        model = Funding
        fields = ["id", *FUNDING_FIELDS, "created_at"]


class MergeSerializer(serializers.ModelSerializer):
    survivor = serializers.IntegerField(source="survivor_id", read_only=True)
    loser = serializers.IntegerField(source="loser_id", read_only=True)
    merged_by = serializers.IntegerField(source="merged_by_id", read_only=True, allow_null=True)
    undone_by = serializers.IntegerField(source="undone_by_id", read_only=True, allow_null=True)

    class Meta:
        model = MergeRecord
        fields = ["id", "survivor", "loser", "merged_by", "merged_at", "undone_at", "undone_by"]


class DuplicateCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField()
    level = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a code, a readable message, and where it applies."""

    error = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(required=False)
    candidates = DuplicateCandidateSerializer(many=True, required=False)
