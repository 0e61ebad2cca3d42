"""django-import-export resources: one per kind, natural keys (CDS codes, partner names), and
every exported text cell neutralised so a spreadsheet never runs it as a formula.

The column names are the import service's, so an export can be edited and imported again.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from crm.exports import neutralise_row
from crm.imports.columns import (
    CONTACT_FILE_COLUMNS,
    EVENT_COLUMNS,
    FUNDING_COLUMNS,
    GRANT_COLUMNS,
    PARTNER_FILE_COLUMNS,
    PARTNERSHIP_COLUMNS,
    REFERRAL_COLUMNS,
)
from crm.models import (
    CommunitySchoolGrant,
    Event,
    Funding,
    Partner,
    Partnership,
    Referral,
    School,
)
from crm.selectors.fields import column_visible


class SafeResource(resources.ModelResource):
    """A resource whose exported rows pass through crm.exports.neutralise, cell by cell."""

    # Columns computed in a dehydrate method: the relation they read, for the field-level rules.
    column_sources: dict[str, str] = {}

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return neutralise_row(super().export_resource(instance, selected_fields, **kwargs))

    def column_source(self, name: str) -> str:
        return self.column_sources.get(name) or self.fields[name].attribute or name

    def columns_for(self, user) -> list[str]:
        """The fields this user may see in the admin, in export order."""
        model = self._meta.model
        return [
            name
            for name in self.get_export_order()
            if name in self.fields and column_visible(user, model, self.column_source(name))
        ]


class PartnerNameWidget(widgets.ForeignKeyWidget):
    """A partner by name on export; imports resolve names through the matcher in the service."""

    def __init__(self):
        super().__init__(Partner, field="name")


def _school(column: str = "school_cds_code", attribute: str = "school") -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=widgets.ForeignKeyWidget(School, field="cds_code"),
    )


def _partner(column: str = "partner") -> fields.Field:
    return fields.Field(attribute="partner", column_name=column, widget=PartnerNameWidget())


def _list(name: str) -> fields.Field:
    """A list field (aliases, language and eligibility codes) as one cell the import reads back."""
    return fields.Field(
        attribute=name, column_name=name, widget=widgets.SimpleArrayWidget(separator="; ")
    )


class PartnerResource(SafeResource):
    aliases = _list("aliases")
    languages = _list("languages")
    eligibility = _list("eligibility")
    contact_name = fields.Field(column_name="contact_name")
    contact_role = fields.Field(column_name="contact_role")
    contact_email = fields.Field(column_name="contact_email")
    contact_phone = fields.Field(column_name="contact_phone")

    column_sources = dict.fromkeys(CONTACT_FILE_COLUMNS, "contacts")

    class Meta:
        model = Partner
        import_id_fields = ("name",)
        fields = PARTNER_FILE_COLUMNS
        export_order = fields

    def _first_contact(self, partner: Partner):
        # Prefetched by the export selector with only the contacts the person may see.
        contacts = list(partner.contacts.all())
        return contacts[0] if contacts else None

    def dehydrate_contact_name(self, partner):
        return getattr(self._first_contact(partner), "name", "")

    def dehydrate_contact_role(self, partner):
        return getattr(self._first_contact(partner), "role", "")

    def dehydrate_contact_email(self, partner):
        return getattr(self._first_contact(partner), "email", "")

    def dehydrate_contact_phone(self, partner):
        return getattr(self._first_contact(partner), "phone", "")


class PartnershipResource(SafeResource):
    partner = _partner()
    school_cds_codes = fields.Field(
        attribute="schools",
        column_name="school_cds_codes",
        widget=widgets.ManyToManyWidget(School, field="cds_code", separator=";"),
    )

    class Meta:
        model = Partnership
        fields = PARTNERSHIP_COLUMNS.all
        export_order = fields


class SchoolResource(SafeResource):
    """The California Department of Education "Public Schools and Districts" column names."""

    CDSCode = fields.Field(attribute="cds_code", column_name="CDSCode")
    District = fields.Field(attribute="district__name", column_name="District")
    School_ = fields.Field(attribute="name", column_name="School")
    Street = fields.Field(attribute="street", column_name="Street")
    City = fields.Field(attribute="city", column_name="City")
    Zip = fields.Field(attribute="zip", column_name="Zip")
    Phone = fields.Field(attribute="phone", column_name="Phone")
    WebSite = fields.Field(attribute="website", column_name="WebSite")
    StatusType = fields.Field(attribute="status", column_name="StatusType")
    SOCType = fields.Field(attribute="school_type", column_name="SOCType")
    GSserved = fields.Field(attribute="grades", column_name="GSserved")
    Charter = fields.Field(attribute="charter", column_name="Charter")
    Latitude = fields.Field(attribute="latitude", column_name="Latitude")
    Longitude = fields.Field(attribute="longitude", column_name="Longitude")

    class Meta:
        model = School
        import_id_fields = ("CDSCode",)
        fields = (
            "CDSCode",
            "District",
            "School_",
            "Street",
            "City",
            "Zip",
            "Phone",
            "WebSite",
            "StatusType",
            "SOCType",
            "GSserved",
            "Charter",
            "Latitude",
            "Longitude",
        )
        export_order = fields

    def dehydrate_Charter(self, school: School) -> str:
        return "Y" if school.charter else "N"


class GrantResource(SafeResource):
    school_cds_code = _school()

    class Meta:
        model = CommunitySchoolGrant
        fields = GRANT_COLUMNS.all
        export_order = fields


class EventResource(SafeResource):
    school_cds_code = _school()
    partners = fields.Field(
        attribute="partners",
        column_name="partners",
        widget=widgets.ManyToManyWidget(Partner, field="name", separator=";"),
    )

    class Meta:
        model = Event
        fields = EVENT_COLUMNS.all
        export_order = fields


class ReferralResource(SafeResource):
    school_cds_code = _school()
    partner = _partner()

    class Meta:
        model = Referral
        # The status is exported for reading; the import passes it over (it moves only through
        # the closed loop).
        fields = (*REFERRAL_COLUMNS.required, "status", *REFERRAL_COLUMNS.optional)
        export_order = fields


class FundingResource(SafeResource):
    partner = _partner()
    school_cds_code = _school()

    class Meta:
        model = Funding
        fields = FUNDING_COLUMNS.all
        export_order = fields


RESOURCES: dict[str, type[SafeResource]] = {
    "partners": PartnerResource,
    "partnerships": PartnershipResource,
    "schools": SchoolResource,
    "grants": GrantResource,
    "events": EventResource,
    "referrals": ReferralResource,
    "funding": FundingResource,
}
