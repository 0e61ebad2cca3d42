"""A partner's public profile: the published record with its public contacts, a redirect to the
survivor for a partner merged away, or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from crm.models import Contact, District, EquityFocusGroup, Partner, School, ServiceCategory
from crm.models.editable import PARTNER_SERVICE_FIELDS
from crm.selectors.partners import partner_resolve
from crm.selectors.public.directory import PARTNER_LIST_FIELDS

PARTNER_PROFILE_FIELDS = (
    *PARTNER_LIST_FIELDS,
    "website",
    "public_email",
    "public_phone",
    "logo",
    "updated_at",
    *PARTNER_SERVICE_FIELDS,
)


@dataclass
class PartnerLookup:
    """A profile to show, a survivor to redirect to, or neither (404)."""

    partner: Partner | None = None
    redirect_slug: str | None = None


def public_partner_lookup(slug: str) -> PartnerLookup:
    found = (
        Partner.objects.filter(slug=slug)
        .only(*PARTNER_PROFILE_FIELDS, "published", "merged_into")
        .select_related("logo")
        .first()
    )
    if found is None:
        return PartnerLookup()
    if found.merged_into_id is not None:
        survivor = partner_resolve(found)
        if survivor.published and survivor.merged_into_id is None:
            return PartnerLookup(redirect_slug=survivor.slug)
        return PartnerLookup()
    if not found.published:
        return PartnerLookup()
    prefetch_related_objects(
        [found],
        Prefetch("service_categories", queryset=ServiceCategory.objects.only("name", "name_es")),
        Prefetch("equity_focus_groups", queryset=EquityFocusGroup.objects.only("name", "name_es")),
        Prefetch("districts_served", queryset=District.objects.only("name")),
        Prefetch("schools_served", queryset=School.objects.only("name", "slug", "district_id")),
        Prefetch(
            "contacts",
            queryset=Contact.objects.filter(is_public=True).only(
                "partner_id", "name", "role", "email", "phone"
            ),
            to_attr="public_contacts",
        ),
    )
    return PartnerLookup(partner=found)
