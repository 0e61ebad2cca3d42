"""The public profile's "Getting services" card: a partner's service details in the visitor's
language (stored English text is marked lang="en" when no Spanish was written)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from cms.language import english_only, pick
from crm.selectors.service_details import (
    capacity_text,
    cost_text,
    eligibility_labels,
    grades_text,
    languages_text,
)

register = template.Library()


def _stored(en: str, es: str) -> dict:
    return {"text": pick(en, es), "english_only": english_only(en, es)}


@register.inclusion_tag("cms/includes/partner_service_details.html")
def partner_service_details(partner) -> dict:
    rows = [
        (_("New referrals"), {"text": capacity_text(partner)}),
        (_("Languages"), {"text": languages_text(partner)}),
        (_("Grades served"), {"text": grades_text(partner.grades_from, partner.grades_to)}),
        (_("Hours"), _stored(partner.hours, partner.hours_es)),
        (_("Cost"), {"text": cost_text(partner)}),
    ]
    return {
        "rows": [(label, value) for label, value in rows if value["text"]],
        "flags": eligibility_labels(partner),
        "notes": _stored(partner.eligibility_notes, partner.eligibility_notes_es),
    }
