"""Database rules: bad dates, negative counts, duplicate CDS codes get a clear error."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crm.models import CommunitySchoolGrant, Event, Funding, Partner, Partnership, Referral, School
from crm.services.schools import grant_create, school_upsert
from tests.factories import make_district, make_partner, make_school

SYSTEM = {"actor": None, "source": "command"}


def test_duplicate_cds_code_is_a_validation_error(db):
    school = make_school()
    with pytest.raises(ValidationError, match="CDS code already exists"):
        School(
            cds_code=school.cds_code, district=school.district, name="Copy", slug="copy"
        ).full_clean()
    assert School.objects.count() == 1


@pytest.mark.parametrize("cds", ["1234", "1964212000000X", ""])
def test_malformed_cds_code_is_refused(db, cds):
    district = make_district()
    with pytest.raises(ValidationError):
        school_upsert(cds_code=cds, data={"name": "Bad", "district": district}, **SYSTEM)
    assert not School.objects.exists()


def test_grant_ending_before_start_is_refused(db):
    school = make_school()
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        grant_create(
            school=school,
            grant_type="planning",
            cohort=1,
            start_date=dt.date(2023, 7, 1),
            end_date=dt.date(2023, 6, 1),
            **SYSTEM,
        )
    assert not CommunitySchoolGrant.objects.exists()


@pytest.mark.parametrize(
    "model, fields",
    [
        (Funding, {"source": "X", "amount": Decimal("-1"), "fiscal_year": 2025}),
        (CommunitySchoolGrant, {"grant_type": "planning", "cohort": 1, "amount": Decimal("-5")}),
    ],
)
def test_negative_amounts_are_refused(db, model, fields):
    extra = {}
    if model is CommunitySchoolGrant:
        extra = {
            "school": make_school(),
            "start_date": dt.date(2023, 7, 1),
            "end_date": dt.date(2024, 6, 30),
        }
    with pytest.raises(ValidationError, match="cannot be negative"):
        model(**fields, **extra).full_clean()


def test_constraints_hold_in_the_database_too(db):
    partner = make_partner("Harbor Food Bank")
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            partner=partner, start_date=dt.date(2024, 9, 1), end_date=dt.date(2024, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(merged_into=partner)
    assert Partnership.objects.count() == 0


def test_referral_consent_needs_a_date_and_student_id_is_pseudonymous(db):
    school, partner = make_school(), make_partner("Harbor Food Bank")
    base = dict(
        school=school,
        partner=partner,
        need_category="food",
        referred_on=dt.date(2024, 9, 1),
        status_changed_on=dt.date(2024, 9, 1),
    )
    with pytest.raises(ValidationError, match="consent"):
        Referral(student_ref="S-123", consent_on_file=True, **base).full_clean()
    with pytest.raises(ValidationError, match="never a name"):
        Referral(student_ref="Maria Lopez", **base).full_clean()
    assert not Event.objects.exists() and not Referral.objects.exists()
