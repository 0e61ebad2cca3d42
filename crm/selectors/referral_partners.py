"""Partners to suggest when a coordinator makes a referral, best first, each with its reasons.

`rank` is plain Python over `Candidate` rows (no database): the order follows, criterion by
criterion, serves the need, serves the school (then its district), takes referrals, speaks the
family's language, serves the student's grade, is in the school's city, costs least.
`suggested_partners` reads the candidates in one query.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, OuterRef, Q, Value
from django.utils.translation import gettext as _

from crm.models import (
    AgreementType,
    CostKind,
    GradeLevel,
    Language,
    NeedCategory,
    Partner,
    PartnershipAgreement,
    PartnerStatus,
    ReferralCapacity,
    School,
    ServiceCategory,
)
from crm.selectors.agreements import current_on
from crm.selectors.service_details import grades_text

# The service categories (slugs) that meet each referral need.
NEED_SERVICES: dict[str, tuple[str, ...]] = {
    NeedCategory.MENTAL_HEALTH: ("mental-health",),
    NeedCategory.PHYSICAL_HEALTH: ("health",),
    NeedCategory.FOOD: ("food-security", "basic-needs"),
    NeedCategory.HOUSING: ("housing",),
    NeedCategory.LEGAL: ("legal",),
    NeedCategory.TUTORING: ("academic-support", "college-access"),
    NeedCategory.CLOTHING: ("basic-needs",),
    NeedCategory.FAMILY: ("family-engagement", "early-childhood", "adult-education"),
    NeedCategory.OTHER: (),
}
GRADES = [g.value for g in GradeLevel]
_CAPACITY = {
    ReferralCapacity.ACCEPTING: 3,
    "": 2,
    ReferralCapacity.WAITLIST: 1,
    ReferralCapacity.NOT_ACCEPTING: 0,
}
_COST = {CostKind.FREE: 3, CostKind.SLIDING_SCALE: 2, "": 1, CostKind.FEE: 0}


def grade_level(text: str) -> str:
    """A referral's free-text grade ("K", "tk", "03", "5th", "Pre-K") as a GradeLevel, or ""."""
    cleaned = re.sub(r"[\s.\-]", "", (text or "").casefold())
    aliases = {"prek": "pk", "ps": "pk", "kinder": "k", "kindergarten": "k"}
    cleaned = aliases.get(cleaned, cleaned)
    digits = re.fullmatch(r"0*(\d{1,2})(st|nd|rd|th)?", cleaned)
    if digits:
        cleaned = digits.group(1)
    return cleaned if cleaned in GRADES else ""


@dataclass(frozen=True)
class ReferralAsk:
    need: str
    school_city: str = ""
    language: str = ""  # a Language code
    grade: str = ""  # a GradeLevel value


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    serves_need: bool = False
    serves_school: bool = False
    serves_district: bool = False
    accepting: str = ""
    languages: tuple[str, ...] = ()
    grades_from: str = ""
    grades_to: str = ""
    cost: str = ""
    city: str = ""
    data_sharing: bool = True


@dataclass(frozen=True)
class Suggestion:
    partner: Candidate
    key: tuple[int, ...]
    reasons: tuple[str, ...]
    cautions: tuple[str, ...]


def _grade_fit(c: Candidate, grade: str) -> int:
    """2 serves the grade, 1 unknown (no grade asked or no range given), 0 outside the range."""
    if not grade or not (c.grades_from or c.grades_to):
        return 1
    at = GRADES.index(grade)
    low = GRADES.index(c.grades_from) if c.grades_from in GRADES else 0
    high = GRADES.index(c.grades_to) if c.grades_to in GRADES else len(GRADES) - 1
    return 2 if low <= at <= high else 0


def _language_fit(c: Candidate, language: str) -> int:
    """2 offers the language, 1 unknown, 0 lists languages and not this one."""
    if not language or not c.languages:
        return 1
    return 2 if language in c.languages else 0


def score(c: Candidate, ask: ReferralAsk) -> Suggestion:
    place = 2 if c.serves_school else 1 if c.serves_district else 0
    same_city = bool(ask.school_city) and c.city.strip().casefold() == ask.school_city.casefold()
    language, grade = _language_fit(c, ask.language), _grade_fit(c, ask.grade)
    key = (
        int(c.serves_need),
        place,
        _CAPACITY.get(c.accepting, 2),
        language,
        grade,
        int(same_city),
        _COST.get(c.cost, 1),
    )
    reasons, cautions = [], []
    if c.serves_need:
        reasons.append(_("offers this service"))
    if c.serves_school:
        reasons.append(_("serves this school"))
    elif c.serves_district:
        reasons.append(_("serves the district"))
    if c.accepting == ReferralCapacity.ACCEPTING:
        reasons.append(_("accepting referrals"))
    elif c.accepting == ReferralCapacity.WAITLIST:
        cautions.append(_("waitlist"))
    elif c.accepting == ReferralCapacity.NOT_ACCEPTING:
        cautions.append(_("not accepting referrals"))
    language_name = dict(Language.choices).get(ask.language, "")
    if language == 2:
        reasons.append(_("speaks %(language)s") % {"language": language_name})
    elif language == 0:
        cautions.append(_("no %(language)s listed") % {"language": language_name})
    if grade == 2:
        reasons.append(_("serves this grade"))
    elif grade == 0:
        cautions.append(
            _("serves %(grades)s") % {"grades": grades_text(c.grades_from, c.grades_to)}
        )
    if same_city:
        reasons.append(_("in %(city)s") % {"city": c.city.strip()})
    if c.cost == CostKind.FREE:
        reasons.append(_("free"))
    elif c.cost == CostKind.SLIDING_SCALE:
        reasons.append(_("sliding scale"))
    if not c.data_sharing:
        cautions.append(_("no current data-sharing agreement"))
    return Suggestion(partner=c, key=key, reasons=tuple(reasons), cautions=tuple(cautions))


def rank(candidates, ask: ReferralAsk, *, limit: int | None = None) -> list[Suggestion]:
    scored = [score(c, ask) for c in candidates]
    scored.sort(key=lambda s: (tuple(-k for k in s.key), s.partner.name.casefold(), s.partner.id))
    return scored[:limit] if limit is not None else scored


def _through_exists(relation: str, **match):
    through = getattr(Partner, relation).through
    return Exists(through.objects.filter(partner_id=OuterRef("pk"), **match))


def suggested_partners(
    *, need: str, school: School, language: str = "", grade: str = "", today: dt.date, limit=8
) -> list[Suggestion]:
    """Active partners that offer a service meeting the need or serve the school or its
    district, ranked for this referral (grade as typed on the form)."""
    category_ids = list(
        ServiceCategory.objects.filter(slug__in=NEED_SERVICES.get(need, ())).values_list(
            "pk", flat=True
        )
    )
    data_sharing = PartnershipAgreement.objects.filter(
        current_on(today), partnership__partner=OuterRef("pk"), kind=AgreementType.DATA_SHARING
    )
    serves_need = (
        _through_exists("service_categories", servicecategory_id__in=category_ids)
        if category_ids
        else Value(False, output_field=BooleanField())
    )
    rows = (
        Partner.objects.live()
        .filter(status=PartnerStatus.ACTIVE)
        .annotate(
            serves_need=serves_need,
            serves_school=_through_exists("schools_served", school_id=school.pk),
            serves_district=_through_exists("districts_served", district_id=school.district_id),
            data_sharing=Exists(data_sharing),
        )
        .filter(Q(serves_need=True) | Q(serves_school=True) | Q(serves_district=True))
    ).values(
        "id",
        "name",
        "serves_need",
        "serves_school",
        "serves_district",
        "accepting_referrals",
        "languages",
        "grades_from",
        "grades_to",
        "cost",
        "city",
        "data_sharing",
    )
    candidates = [
        Candidate(
            **{k: v for k, v in row.items() if k not in ("accepting_referrals", "languages")},
            accepting=row["accepting_referrals"],
            languages=tuple(row["languages"] or ()),
        )
        for row in rows
    ]
    ask = ReferralAsk(
        need=need, school_city=school.city or "", language=language, grade=grade_level(grade)
    )
    return rank(candidates, ask, limit=limit)
