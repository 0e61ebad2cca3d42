"""Forms of the "Partners" menu (partners, contacts, partnerships, touchpoints, funding); each
saves through its crm service. Partner and contact fields come from crm/models/editable.py.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.admin.choosers import districts_picker, fit_contact_field, schools_picker
from crm.admin.forms import ServiceForm
from crm.admin.partner_details import ServiceDetailsFields
from crm.models import Contact, Funding, Partner, Partnership, PartnerStatus, Touchpoint
from crm.models.editable import (
    CONTACT_FIELDS,
    FUNDING_FIELDS,
    PARTNER_M2M_FIELDS,
    PARTNER_SCALAR_FIELDS,
    PARTNERSHIP_FIELDS,
    TOUCHPOINT_FIELDS,
    fields_with,
)
from crm.services.activity import (
    funding_create,
    funding_update,
    partnership_create,
    partnership_update,
    touchpoint_create,
    touchpoint_update,
)
from crm.services.partners import contact_create, contact_update, partner_create, partner_update

_PROFILE_START = PARTNER_SCALAR_FIELDS.index("description")


class PartnerForm(ServiceDetailsFields, ServiceForm):
    m2m = PARTNER_M2M_FIELDS

    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every other name it is or was known by, one per line."),
    )

    class Meta:
        model = Partner
        # What the partner is and does (services, places) first, then how its profile reads.
        fields = [
            *PARTNER_SCALAR_FIELDS[:_PROFILE_START],
            *PARTNER_M2M_FIELDS,
            *PARTNER_SCALAR_FIELDS[_PROFILE_START:],
        ]
        widgets = {
            "service_categories": forms.CheckboxSelectMultiple,
            "equity_focus_groups": forms.CheckboxSelectMultiple,
            "districts_served": districts_picker(),
            "schools_served": schools_picker(),
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
        fields = ["partner", *CONTACT_FIELDS]

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
            *fields_with(
                fields_with(PARTNERSHIP_FIELDS, after="scope", extra=("districts", "schools")),
                after="lead_staff",
                extra=("pillars",),
            ),
        ]
        widgets = {
            "pillars": forms.CheckboxSelectMultiple,
            "districts": districts_picker(),
            "schools": schools_picker(),
        }

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
        fields = ["partner", *TOUCHPOINT_FIELDS, "slack_permalink"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_contact_field(self)

    def service_create(self, *, actor, source: str) -> Touchpoint:
        return touchpoint_create(**self.scalars(), actor=actor, source=source)

    def service_update(self, *, instance: Touchpoint, actor, source: str) -> Touchpoint:
        return touchpoint_update(
            touchpoint=instance, data=self.scalars(), actor=actor, source=source
        )


class FundingForm(ServiceForm):
    class Meta:
        model = Funding
        fields = list(FUNDING_FIELDS)

    def service_create(self, *, actor, source: str) -> Funding:
        data = self.scalars()
        return funding_create(source_name=data.pop("source"), **data, actor=actor, source=source)

    def service_update(self, *, instance: Funding, actor, source: str) -> Funding:
        return funding_update(funding=instance, data=self.scalars(), actor=actor, source=source)
