"""Admin forms for CRM records: they validate input, then hand it to a crm service to write.

A form never saves itself. `service_create` / `service_update` call the service with the actor
and channel, so the admin keeps every rule (duplicates, permissions, audit) the other faces keep.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from crm.admin.partner_details import ServiceDetailsFields
from crm.models import (
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    District,
    EquityFocusGroup,
    Funding,
    Partner,
    Partnership,
    PartnerStatus,
    School,
    ServiceCategory,
    StaffProfile,
    Touchpoint,
)
from crm.models.editable import PARTNER_SERVICE_FIELDS
from crm.selectors.staff import staff_name
from crm.services.activity import (
    funding_create,
    funding_update,
    partnership_create,
    partnership_update,
    touchpoint_create,
    touchpoint_update,
)
from crm.services.partners import contact_create, contact_update, partner_create, partner_update
from crm.services.schools import district_upsert, grant_create, grant_update, school_upsert
from crm.services.vocabulary import staff_profile_save, vocabulary_term_save


class ServiceForm(WagtailAdminModelForm):
    """Base of every CRM admin form; subclasses add `service_create` and `service_update`.

    `m2m` names the many-to-many fields, `create_only` the fields offered only when creating,
    `edit_only` those offered only when editing.
    """

    m2m: tuple[str, ...] = ()
    create_only: tuple[str, ...] = ()
    edit_only: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields:
            # A merged-away record is read-only: nothing new may point at it.
            self.fields["partner"].queryset = Partner.objects.filter(merged_into__isnull=True)
        for name in ("lead_staff", "staff"):
            if isinstance(self.fields.get(name), forms.ModelChoiceField):
                self.fields[name].label_from_instance = staff_name

    def scalars(self, *, exclude: tuple[str, ...] = ()) -> dict:
        skip = set(self.m2m) | set(exclude)
        return {
            k: v for k, v in self.cleaned_data.items() if k in self._meta.fields and k not in skip
        }

    def relations(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.m2m if k in self.cleaned_data}

    @classmethod
    def for_mode(cls, *, for_update: bool) -> type[ServiceForm]:
        """The variant of this form for the create view or the edit view."""
        dropped = set(cls.create_only if for_update else cls.edit_only)
        meta = type(
            "Meta", (cls.Meta,), {"fields": [f for f in cls.Meta.fields if f not in dropped]}
        )
        attrs = {"Meta": meta, **{name: None for name in dropped if name in cls.declared_fields}}
        suffix = "Edit" if for_update else "Create"
        return type(f"{cls.__name__}{suffix}", (cls,), attrs)


class PartnerForm(ServiceDetailsFields, ServiceForm):
    m2m = ("service_categories", "equity_focus_groups", "districts_served", "schools_served")

    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every other name it is or was known by, one per line."),
    )

    class Meta:
        model = Partner
        fields = [
            "name",
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
            "logo",
            "public_email",
            "public_phone",
            "published",
            "internal_notes",
        ]
        widgets = {
            "service_categories": forms.CheckboxSelectMultiple,
            "equity_focus_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Merged" is set by the merge service only, never picked by hand.
        self.fields["status"].choices = [
            c for c in self.fields["status"].choices if c[0] != PartnerStatus.MERGED
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = "\n".join(self.instance.aliases or [])

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def service_create(self, *, actor, source: str, create_anyway: bool = False) -> Partner:
        logo = self.cleaned_data.get("logo")
        partner = partner_create(
            **self.scalars(exclude=("logo",)),
            **self.relations(),
            create_anyway=create_anyway,
            actor=actor,
            source=source,
        )
        if logo:
            # partner_create takes no image; the logo is attached as a second audited change.
            partner = partner_update(
                partner=partner, data={"logo": logo}, actor=actor, source=source
            )
        return partner

    def service_update(
        self, *, instance: Partner, actor, source: str, rename_anyway: bool = False
    ) -> Partner:
        return partner_update(
            partner=instance,
            data=self.scalars(),
            actor=actor,
            source=source,
            rename_anyway=rename_anyway,
            **self.relations(),
        )


class ContactForm(ServiceForm):
    create_only = ("partner",)

    class Meta:
        model = Contact
        fields = ["partner", "name", "role", "email", "phone", "is_public", "notes"]

    def service_create(self, *, actor, source: str) -> Contact:
        return contact_create(**self.scalars(), actor=actor, source=source)

    def service_update(self, *, instance: Contact, actor, source: str) -> Contact:
        return contact_update(contact=instance, data=self.scalars(), actor=actor, source=source)


class PartnershipForm(ServiceForm):
    m2m = ("districts", "schools", "pillars")
    create_only = ("partner",)

    class Meta:
        model = Partnership
        fields = [
            "partner",
            "title",
            "scope",
            "districts",
            "schools",
            "start_date",
            "end_date",
            "status",
            "strategic",
            "agreement_type",
            "lead_staff",
            "pillars",
            "notes",
        ]
        widgets = {"pillars": forms.CheckboxSelectMultiple}

    def service_create(self, *, actor, source: str) -> Partnership:
        return partnership_create(**self.scalars(), **self.relations(), actor=actor, source=source)

    def service_update(self, *, instance: Partnership, actor, source: str) -> Partnership:
        return partnership_update(
            partnership=instance,
            data=self.scalars(),
            actor=actor,
            source=source,
            **self.relations(),
        )


class TouchpointForm(ServiceForm):
    create_only = ("partner", "slack_permalink")
    # Whoever logs a touchpoint is its staff member; only a later edit reassigns it.
    edit_only = ("follow_up_done", "staff")

    class Meta:
        model = Touchpoint
        fields = [
            "partner",
            "occurred_on",
            "channel",
            "summary",
            "next_step",
            "follow_up_on",
            "follow_up_done",
            "staff",
            "slack_permalink",
        ]

    def service_create(self, *, actor, source: str) -> Touchpoint:
        return touchpoint_create(**self.scalars(), actor=actor, source=source)

    def service_update(self, *, instance: Touchpoint, actor, source: str) -> Touchpoint:
        return touchpoint_update(
            touchpoint=instance, data=self.scalars(), actor=actor, source=source
        )


class FundingForm(ServiceForm):
    class Meta:
        model = Funding
        fields = ["source", "partner", "amount", "fiscal_year", "received_on", "supports", "school"]

    def service_create(self, *, actor, source: str) -> Funding:
        data = self.scalars()
        return funding_create(source_name=data.pop("source"), **data, actor=actor, source=source)

    def service_update(self, *, instance: Funding, actor, source: str) -> Funding:
        return funding_update(funding=instance, data=self.scalars(), actor=actor, source=source)


class GrantForm(ServiceForm):
    create_only = ("school",)

    class Meta:
        model = CommunitySchoolGrant
        fields = ["school", "grant_type", "cohort", "amount", "start_date", "end_date", "status"]

    def service_create(self, *, actor, source: str) -> CommunitySchoolGrant:
        return grant_create(**self.scalars(), actor=actor, source=source)

    def service_update(self, *, instance: CommunitySchoolGrant, actor, source: str):
        return grant_update(grant=instance, data=self.scalars(), actor=actor, source=source)


class _CdsCodedForm(ServiceForm):
    """Districts and schools are keyed by CDS code: set when created, never edited."""

    create_only = ("cds_code",)
    upsert = None

    def service_create(self, *, actor, source: str):
        data = self.scalars()
        record, _changed = type(self).upsert(
            cds_code=data.pop("cds_code"), data=data, actor=actor, source=source
        )
        return record

    def service_update(self, *, instance, actor, source: str):
        record, _changed = type(self).upsert(
            cds_code=instance.cds_code, data=self.scalars(), actor=actor, source=source
        )
        return record


class DistrictForm(_CdsCodedForm):
    upsert = staticmethod(district_upsert)

    class Meta:
        model = District
        fields = [
            "cds_code",
            "name",
            "district_type",
            "street",
            "city",
            "zip",
            "phone",
            "website",
            "latitude",
            "longitude",
            "status",
        ]


class SchoolForm(_CdsCodedForm):
    upsert = staticmethod(school_upsert)

    class Meta:
        model = School
        fields = [
            "cds_code",
            "district",
            "name",
            "street",
            "city",
            "zip",
            "phone",
            "website",
            "school_type",
            "grades",
            "charter",
            "latitude",
            "longitude",
            "status",
        ]


class _VocabularyForm(ServiceForm):
    def service_create(self, *, actor, source: str):
        return vocabulary_term_save(
            model=self._meta.model, data=self.scalars(), actor=actor, source=source
        )

    def service_update(self, *, instance, actor, source: str):
        return vocabulary_term_save(
            model=self._meta.model, term=instance, data=self.scalars(), actor=actor, source=source
        )


class ServiceCategoryForm(_VocabularyForm):
    class Meta:
        model = ServiceCategory
        fields = ["slug", "name", "name_es"]


class EquityFocusGroupForm(_VocabularyForm):
    class Meta:
        model = EquityFocusGroup
        fields = ["slug", "name", "name_es"]


class StaffProfileForm(ServiceForm):
    m2m = ("schools",)
    create_only = ("user",)

    class Meta:
        model = StaffProfile
        fields = ["user", "slack_user_id", "slack_team_id", "phone", "schools", "wants_digest"]

    def service_create(self, *, actor, source: str) -> StaffProfile:
        data = self.scalars()
        return staff_profile_save(
            user=data.pop("user"),
            data=data,
            schools=self.cleaned_data.get("schools"),
            actor=actor,
            source=source,
        )

    def service_update(self, *, instance: StaffProfile, actor, source: str) -> StaffProfile:
        return staff_profile_save(
            profile=instance,
            data=self.scalars(),
            schools=self.cleaned_data.get("schools"),
            actor=actor,
            source=source,
        )


class AuditEntryForm(WagtailAdminModelForm):
    """The audit trail's viewset needs a form class; its policy refuses every add and change."""

    class Meta:
        model = AuditEntry
        fields = ["action"]
