"""load_demo: deterministic, every kind of record, stored fiscal years, safe re-runs and reset."""

import csv
import hashlib
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction

from crm.dedup.index import MatchIndex
from crm.fiscal import fiscal_year_of
from crm.models import (
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    Event,
    EventPartner,
    Funding,
    Partner,
    Partnership,
    Referral,
    ReferralStatusChange,
    School,
    Touchpoint,
)
from crm.roles import LEADERSHIP, PARTNERSHIP_STAFF, SITE_COORDINATORS
from crm.selectors.coordination import schools_of
from crm.selectors.partners import partner_records
from crm.services.demo import demo_loaded
from crm.services.reference import SCHOOLS_CSV, reference_load
from tests.factories import make_partner, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(tmp_path):
    """All districts and the first 400 schools: enough for the small demo, quick to load."""
    with open(SCHOOLS_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:400]
    path = tmp_path / "schools.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    reference_load(actor=None, source="command", schools_path=path)


def demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", "--size", "small", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """What a person would see of the demo, independent of database ids."""
    parts = [
        sorted(Partner.objects.values_list("name", "kind", "website", "ein", "published")),
        sorted(
            Partnership.objects.values_list(
                "partner__name", "start_date", "end_date", "strategic", "status"
            )
        ),
        sorted(Contact.objects.values_list("partner__name", "name", "email")),
        sorted(Touchpoint.objects.values_list("partner__name", "occurred_on", "follow_up_on")),
        sorted(
            CommunitySchoolGrant.objects.values_list(
                "school__cds_code", "grant_type", "cohort", "amount", "start_date", "end_date"
            )
        ),
        sorted(Event.objects.values_list("school__cds_code", "date", "kind", "participants")),
        sorted(EventPartner.objects.values_list("event__date", "partner__name")),
        sorted(Referral.objects.values_list("student_ref", "school__cds_code", "status")),
        sorted(ReferralStatusChange.objects.values_list("referral__student_ref", "to_status")),
        sorted(Funding.objects.values_list("source", "amount", "fiscal_year")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class Rollback(Exception):
    pass


def test_two_runs_on_fresh_databases_are_identical(reference):
    digests = []
    for _ in range(2):
        try:
            with transaction.atomic():
                demo()
                digests.append(digest())
                assert Partner.objects.exists()
                raise Rollback
        except Rollback:
            pass
        assert not Partner.objects.exists()
    assert digests[0] == digests[1]


def test_every_kind_of_record_is_there(reference):
    out = demo()
    assert "Demo data loaded in" in out
    for model in (Partner, Contact, Partnership, Touchpoint, Event, EventPartner, Funding):
        assert model.objects.exists(), model
    assert Partnership.objects.filter(strategic=True, status="ended").exists()
    assert Partnership.objects.filter(strategic=False).exists()
    assert {g for g in CommunitySchoolGrant.objects.values_list("grant_type", flat=True)} == {
        "planning",
        "implementation",
        "extension",
        "coordination",
    }
    assert set(CommunitySchoolGrant.objects.values_list("cohort", flat=True)) == {1, 2, 3}
    assert Touchpoint.objects.filter(follow_up_done=False, follow_up_on__isnull=False).exists()
    assert Partner.objects.filter(published=True).exclude(description="").exists()
    assert Partner.objects.filter(published=True).exclude(description_es="").exists()
    assert Partner.objects.filter(published=False).exists()
    assert Referral.objects.filter(status="completed").exists()
    multi_step = Referral.objects.filter(status_changes__to_status="completed")
    assert multi_step.exists()
    assert all(r.startswith("S-") for r in Referral.objects.values_list("student_ref", flat=True))
    assert Partner.service_categories.through.objects.exists()
    assert Partner.equity_focus_groups.through.objects.exists()
    assert Partner.schools_served.through.objects.exists()


def test_stored_fiscal_years_match_the_dates(reference):
    demo()
    for p in Partnership.objects.all():
        assert p.start_fy == fiscal_year_of(p.start_date)
        assert p.end_fy == (fiscal_year_of(p.end_date) if p.end_date else None)
    for model, field in ((Event, "date"), (Touchpoint, "occurred_on"), (Referral, "referred_on")):
        for row in model.objects.all():
            assert row.fiscal_year == fiscal_year_of(getattr(row, field))
    for g in CommunitySchoolGrant.objects.all():
        assert (g.start_fy, g.end_fy) == (fiscal_year_of(g.start_date), fiscal_year_of(g.end_date))


def test_every_row_is_audited_without_student_ids(reference):
    demo()
    for model in (Partner, Partnership, Event, Referral, CommunitySchoolGrant, Funding):
        name = model._meta.model_name
        audited = AuditEntry.objects.filter(model=name, action=f"{name}.create", channel="command")
        assert audited.count() == model.objects.count(), name
    refs = list(Referral.objects.values_list("student_ref", flat=True))
    reprs = " ".join(
        AuditEntry.objects.filter(model="referral").values_list("object_repr", flat=True)
    )
    assert not any(ref in reprs for ref in refs)


def test_logins_one_per_role_and_cora_has_grant_schools(reference):
    out = demo()
    for name in ("ana", "pat", "cora", "lee"):
        assert name in out
    ana = User.objects.get(username="ana")
    assert ana.is_superuser and ana.groups.filter(name="Administrators").exists()
    assert ana.check_password("demo-ana-2026")
    assert User.objects.get(username="pat").groups.get().name == PARTNERSHIP_STAFF
    assert User.objects.get(username="lee").groups.get().name == LEADERSHIP
    cora = User.objects.get(username="cora")
    assert cora.groups.get().name == SITE_COORDINATORS
    schools = set(schools_of(cora).values_list("pk", flat=True))
    assert len(schools) == 3
    assert CommunitySchoolGrant.objects.filter(school__in=schools).count() >= 3
    assert Event.objects.filter(school__in=schools, recorded_by=cora).exists()


def test_the_planted_near_duplicates_are_found_by_the_matcher(reference):
    demo()
    index = MatchIndex(partner_records())
    flagged = 0
    for record in partner_records():
        flagged += any(m.level == "likely" for m in index.query(record, limit=3))
    # Three planted pairs in the small demo, each flagged from both sides.
    assert flagged >= 6


def test_a_second_run_changes_nothing_and_reset_rebuilds_only_demo_rows(reference):
    mine = make_partner("Harbor Gateway Tenants Union")
    demo()
    before = digest()
    partners, audit = Partner.objects.count(), AuditEntry.objects.count()
    out = demo()
    assert "already loaded; nothing changed" in out
    assert "demo-cora-2026" in out
    assert (Partner.objects.count(), AuditEntry.objects.count()) == (partners, audit)

    out = demo("--reset")
    assert "Removed the demo data" in out
    assert Partner.objects.filter(pk=mine.pk).exists()
    assert Partner.objects.count() == partners
    assert digest() == before
    assert AuditEntry.objects.filter(action="demo.reset").count() == 1


def test_reset_refuses_when_someone_added_a_record_to_a_demo_partner(reference):
    demo()
    demo_partner = Partner.objects.order_by("name").first()
    make_partnership(demo_partner)
    count = Partner.objects.count()
    with pytest.raises(CommandError, match="Nothing was removed"):
        demo("--reset")
    assert Partner.objects.count() == count
    assert demo_loaded()


def test_refuses_without_reference_data():
    assert not School.objects.exists()
    with pytest.raises(CommandError, match="load_reference_data"):
        demo()


def test_refuses_when_a_demo_login_name_is_taken(reference):
    User.objects.create_user(username="lee", password="x-real-person")
    with pytest.raises(CommandError, match="lee"):
        demo()
    assert not Partner.objects.exists()


def test_the_demo_has_ccspp_needs_assets_pillars_agreements_and_partner_links(reference):
    import datetime as dt

    from crm.demo.plan import DEMO_TODAY
    from crm.models import PartnershipAgreement, ReferralPartnerLink, SchoolAsset, SchoolNeed
    from crm.selectors.agreements import agreements_expiring

    demo()
    cora = User.objects.get(username="cora")
    mine = set(schools_of(cora).values_list("pk", flat=True))
    assert SchoolNeed.objects.filter(school_id__in=mine).exists()
    assert SchoolAsset.objects.filter(school_id__in=mine).exists()
    assert Event.objects.filter(pillars__isnull=False).exists()
    assert Partnership.objects.filter(pillars__isnull=False).exists()
    assert PartnershipAgreement.objects.exists()
    soon = agreements_expiring(today=DEMO_TODAY, within_days=30)
    assert soon.filter(expires_on__lte=DEMO_TODAY + dt.timedelta(days=30)).exists()
    assert ReferralPartnerLink.objects.filter(referral__school_id__in=mine).exists()
    counts = [m.objects.count() for m in (PartnershipAgreement, SchoolNeed, ReferralPartnerLink)]
    demo("--reset")  # removes exactly the demo rows, then loads the same demo again
    assert [m.objects.count() for m in (PartnershipAgreement, SchoolNeed, ReferralPartnerLink)] == (
        counts
    )


def test_demo_partners_carry_service_details_the_referral_ranking_reads(reference):
    from crm.demo.plan import DEMO_TODAY
    from crm.models import NeedCategory
    from crm.selectors.referral_partners import suggested_partners

    demo()
    with_details = Partner.objects.exclude(accepting_referrals="")
    assert with_details.exclude(languages=[]).exists()
    assert with_details.exclude(hours_es="").exists()
    cora = User.objects.get(username="cora")
    school = schools_of(cora).first()
    found = suggested_partners(
        need=NeedCategory.FOOD, school=school, language="es", grade="3", today=DEMO_TODAY
    )
    assert found
    # Something to rank on: the partners differ in capacity, language or grade fit.
    assert len({s.key[2:5] for s in found}) > 1
    assert any("accepting referrals" in s.reasons for s in found)
