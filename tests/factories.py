"""Test data builders, all in one place; they write through the crm services like every face."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth.models import Group, User

from crm.models import District, EventKind, NeedCategory, Partner, School, StaffProfile
from crm.roles import ensure_roles
from crm.services.activity import (
    event_create,
    funding_create,
    partnership_create,
    touchpoint_create,
)
from crm.services.partners import contact_create, partner_create
from crm.services.referrals import referral_create
from crm.services.schools import district_upsert, grant_create, school_upsert

_seq = itertools.count(1)
SYSTEM = {"actor": None, "source": "command"}


def make_user(
    username: str,
    *,
    role: str | None = None,
    schools=(),
    superuser: bool = False,
    slack_user_id=None,
) -> User:
    ensure_roles()
    user = User.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.org"
    )
    if superuser:
        user.is_superuser = user.is_staff = True
        user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    profile = StaffProfile.objects.create(user=user, slack_user_id=slack_user_id)
    if schools:
        profile.schools.set(schools)
    return user


def make_district(**fields) -> District:
    n = next(_seq)
    cds = fields.pop("cds_code", f"19{n:05d}0000000")
    district, _ = district_upsert(cds_code=cds, data={"name": f"District {n}", **fields}, **SYSTEM)
    return district


def make_school(*, district: District | None = None, **fields) -> School:
    n = next(_seq)
    district = district or make_district()
    cds = fields.pop("cds_code", f"{district.cds_code[:7]}{n:07d}")
    school, _ = school_upsert(
        cds_code=cds, data={"name": f"School {n}", "district": district, **fields}, **SYSTEM
    )
    return school


def make_partner(name: str | None = None, **fields) -> Partner:
    fields.setdefault("create_anyway", True)
    # Test data stands for records loaded earlier, not a person's "Create anyway".
    fields.setdefault("review_now", False)
    return partner_create(name=name or f"Test Organization Number {next(_seq)}", **SYSTEM, **fields)


def make_contact(partner: Partner, **fields):
    return contact_create(
        partner=partner, name=fields.pop("name", "Maria Lopez"), **SYSTEM, **fields
    )


def make_partnership(partner: Partner, *, start_date=dt.date(2024, 9, 1), **fields):
    return partnership_create(partner=partner, start_date=start_date, **SYSTEM, **fields)


def make_touchpoint(partner: Partner, **fields):
    fields.setdefault("occurred_on", dt.date(2024, 10, 1))
    fields.setdefault("channel", "call")
    fields.setdefault("summary", "Called about the spring resource fair.")
    return touchpoint_create(partner=partner, **SYSTEM, **fields)


def make_event(school: School, **fields):
    fields.setdefault("kind", EventKind.WORKSHOP)
    fields.setdefault("date", dt.date(2024, 10, 15))
    return event_create(school=school, **SYSTEM, **fields)


def make_referral(school: School, partner: Partner, **fields):
    fields.setdefault("student_ref", f"STU-{next(_seq):05d}")
    fields.setdefault("need_category", NeedCategory.FOOD)
    fields.setdefault("referred_on", dt.date(2024, 10, 20))
    return referral_create(school=school, partner=partner, **SYSTEM, **fields)


def make_grant(school: School, **fields):
    fields.setdefault("grant_type", "implementation")
    fields.setdefault("cohort", 1)
    fields.setdefault("start_date", dt.date(2022, 7, 1))
    fields.setdefault("end_date", dt.date(2027, 6, 30))
    fields.setdefault("amount", Decimal("500000"))
    return grant_create(school=school, **SYSTEM, **fields)


def make_funding(**fields):
    fields.setdefault("source_name", "Ballmer Group")
    fields.setdefault("amount", Decimal("25000"))
    fields.setdefault("fiscal_year", 2025)
    return funding_create(**SYSTEM, **fields)


def make_service_category(name: str = "Food", slug: str | None = None):
    from django.utils.text import slugify

    from crm.models import ServiceCategory

    # Reference vocabulary, loaded from fixtures in real use.
    return ServiceCategory.objects.get_or_create(
        slug=slug or slugify(name), defaults={"name": name}
    )[0]


def make_focus_group(name: str = "Foster youth", slug: str | None = None):
    from django.utils.text import slugify

    from crm.models import EquityFocusGroup

    return EquityFocusGroup.objects.get_or_create(
        slug=slug or slugify(name), defaults={"name": name}
    )[0]


def make_merged(loser: Partner, survivor: Partner) -> Partner:
    """Mark `loser` merged into `survivor` without moving its records (data a merge left behind).

    The merge service belongs to the duplicates issue; reports must cope with either state.
    """
    Partner.objects.filter(pk=loser.pk).update(merged_into=survivor, status="merged")
    loser.refresh_from_db()
    return loser


def make_duplicate_candidate(left: Partner, right: Partner, **fields):
    from crm.models import DuplicateCandidate

    low, high = sorted((left, right), key=lambda p: p.pk)
    fields.setdefault("score", 95.0)
    fields.setdefault("level", "likely")
    return DuplicateCandidate.objects.create(left=low, right=high, **fields)


def make_need(school: School, **fields):
    from crm.services.ccspp import need_create

    fields.setdefault("fiscal_year", 2025)
    fields.setdefault("priority", "high")
    fields.setdefault("source", "survey")
    return need_create(data={"school": school, **fields}, **SYSTEM)


def make_asset(school: School, **fields):
    from crm.services.ccspp import asset_create

    fields.setdefault("fiscal_year", 2025)
    fields.setdefault("kind", "program")
    fields.setdefault("name", "After-school program")
    return asset_create(data={"school": school, **fields}, **SYSTEM)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_agreement(partnership, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crm.services.agreements import agreement_upload

    fields.setdefault("kind", "data_sharing")
    fields.setdefault("signed_on", dt.date(2024, 7, 1))
    document = fields.pop("document", None) or SimpleUploadedFile("mou.pdf", PDF_BYTES)
    return agreement_upload(partnership=partnership, document=document, **SYSTEM, **fields)


# A partner's service details as a person fills them in (public profile, HSDS, partner file).
SERVICE_DETAILS = {
    "accepting_referrals": "waitlist",
    "monthly_capacity": 12,
    "languages": ["en", "es", "ko"],
    "grades_from": "k",
    "grades_to": "5",
    "hours": "Mon-Fri 3-6 pm",
    "hours_es": "Lunes a viernes, 3 a 6 pm",
    "cost": "sliding_scale",
    "eligibility": ["any_immigration_status", "no_insurance_needed"],
    "eligibility_notes": "Families of enrolled students.",
}
