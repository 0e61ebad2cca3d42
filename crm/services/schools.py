"""District, school and CCSPP grant writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from crm.models import CommunitySchoolGrant, District, GrantStatus, School
from crm.models.editable import DISTRICT_FIELDS as EDITABLE_DISTRICT_FIELDS
from crm.models.editable import GRANT_FIELDS as EDITABLE_GRANT_FIELDS
from crm.models.editable import SCHOOL_FIELDS as EDITABLE_SCHOOL_FIELDS
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    require_perm,
    validated_save,
)

DISTRICT_FIELDS = set(EDITABLE_DISTRICT_FIELDS)
SCHOOL_FIELDS = set(EDITABLE_SCHOOL_FIELDS)
GRANT_FIELDS = set(EDITABLE_GRANT_FIELDS)


@transaction.atomic
def district_upsert(*, cds_code: str, data: dict, actor, source: str) -> tuple[District, bool]:
    """Create the district with this CDS code or update its fields; (district, changed)."""
    check_channel(source)
    district = District.objects.select_for_update().filter(cds_code=cds_code).first()
    created = district is None
    require_perm(actor, "crm.add_district" if created else "crm.change_district")
    district = district or District(cds_code=cds_code)
    changes = apply_changes(district, data, allowed=DISTRICT_FIELDS)
    if created or changes:
        validated_save(district)
        audit_record(
            actor=actor,
            source=source,
            action="district.create" if created else "district.update",
            instance=district,
            changes=changes,
        )
    return district, bool(created or changes)


def _school_slug(name: str, cds_code: str) -> str:
    # The CDS tail keeps slugs unique and stable even when two schools share a name.
    return f"{slugify(name)[:190]}-{cds_code[-7:]}"


@transaction.atomic
def school_upsert(*, cds_code: str, data: dict, actor, source: str) -> tuple[School, bool]:
    """Create the school with this CDS code or bring its fields up to date; (school, changed)."""
    check_channel(source)
    school = School.objects.select_for_update().filter(cds_code=cds_code).first()
    created = school is None
    require_perm(actor, "crm.add_school" if created else "crm.change_school")
    school = school or School(cds_code=cds_code)
    changes = apply_changes(school, data, allowed=SCHOOL_FIELDS)
    if created or changes:
        school.slug = _school_slug(school.name, cds_code)
        validated_save(school)
        audit_record(
            actor=actor,
            source=source,
            action="school.create" if created else "school.update",
            instance=school,
            changes=changes,
        )
    return school, bool(created or changes)


@transaction.atomic
def grant_create(
    *,
    school: School,
    grant_type: str,
    cohort: int,
    start_date: dt.date,
    end_date: dt.date,
    actor,
    source: str,
    amount: Decimal = Decimal("0"),
    status: str = GrantStatus.ACTIVE,
) -> CommunitySchoolGrant:
    check_channel(source)
    require_perm(actor, "crm.add_communityschoolgrant")
    grant = CommunitySchoolGrant(
        school=school,
        grant_type=grant_type,
        cohort=cohort,
        amount=amount,
        start_date=start_date,
        end_date=end_date,
        status=status,
    )
    validated_save(grant)
    audit_record(
        actor=actor,
        source=source,
        action="grant.create",
        instance=grant,
        changes={"school": school.pk, "cohort": cohort},
    )
    return grant


@transaction.atomic
def grant_update(
    *, grant: CommunitySchoolGrant, actor, source: str, data: dict
) -> CommunitySchoolGrant:
    check_channel(source)
    require_perm(actor, "crm.change_communityschoolgrant")
    changes = apply_changes(grant, data, allowed=GRANT_FIELDS)
    validated_save(grant)
    if changes:
        audit_record(
            actor=actor, source=source, action="grant.update", instance=grant, changes=changes
        )
    return grant
