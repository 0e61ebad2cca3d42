"""A partner's service details as words: the public profile, the HSDS feed and the referral
suggestions describe capacity, languages, grades and cost the same way."""

from __future__ import annotations

from django.utils.translation import gettext as _

from crm.models import CostKind, EligibilityFlag, GradeLevel, Language, Partner, ReferralCapacity


def labels_of(codes, choices) -> list[str]:
    """The labels of known codes, in the vocabulary's order (unknown codes are skipped)."""
    picked = set(codes or ())
    return [str(c.label) for c in choices if c.value in picked]


def grades_text(grades_from: str, grades_to: str) -> str:
    """ "Kindergarten to Grade 5", "Grade 9 and up", "up to Grade 8", or "" when not stated."""
    names = dict(GradeLevel.choices)
    first, last = names.get(grades_from), names.get(grades_to)
    if first and last and grades_from == grades_to:
        return str(first)
    if first and last:
        return _("%(first)s to %(last)s") % {"first": first, "last": last}
    if first:
        return _("%(first)s and up") % {"first": first}
    if last:
        return _("up to %(last)s") % {"last": last}
    return ""


def capacity_text(partner: Partner) -> str:
    label = dict(ReferralCapacity.choices).get(partner.accepting_referrals)
    if not label:
        return ""
    if partner.monthly_capacity and partner.accepting_referrals != ReferralCapacity.NOT_ACCEPTING:
        return _("%(state)s (about %(n)s a month)") % {
            "state": label,
            "n": partner.monthly_capacity,
        }
    return str(label)


def cost_text(partner: Partner) -> str:
    return str(dict(CostKind.choices).get(partner.cost, ""))


def languages_text(partner: Partner) -> str:
    return ", ".join(labels_of(partner.languages, Language))


def eligibility_labels(partner: Partner) -> list[str]:
    return labels_of(partner.eligibility, EligibilityFlag)
