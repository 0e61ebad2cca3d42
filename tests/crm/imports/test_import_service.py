"""The import service: each kind's happy path, strict and lenient modes, duplicate decisions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from crm.models import (
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    District,
    Event,
    Funding,
    Partner,
    Partnership,
    Referral,
    School,
)
from crm.selectors.partners import partner_index
from crm.services.imports import (
    DUPLICATE,
    ERROR,
    NEW,
    UPDATE,
    import_analyse,
    import_apply,
    import_file,
    import_read,
)
from tests.factories import make_partner


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def run(kind, rows, actor, **kwargs):
    return import_file(
        kind=kind, data=csv_bytes(rows), filename=f"{kind}.csv", actor=actor, **kwargs
    )


def import_audits(action):
    return AuditEntry.objects.filter(channel="import", action=action)


def test_import_partners_new_update_and_contacts(world):
    existing = make_partner("Pomona Youth Alliance", ein="95-4417582")
    report = run(
        "partners",
        [
            ["name", "kind", "ein", "website", "published", "contact_name", "contact_email"],
            [
                "Harbor Food Bank",
                "Community-based nonprofit",
                "",
                "harborfood.org",
                "yes",
                "Ana Ruiz",
                "ana@harborfood.org",
            ],
            ["Pomona Youth Alliance", "nonprofit", "954417582", "pya.org", "", "Luis Vega", ""],
        ],
        world.pat,
    )
    assert report.written, report.message
    assert [r.status for r in report.rows] == [NEW, UPDATE]
    food = Partner.objects.get(name="Harbor Food Bank")
    assert food.published and food.slug == "harbor-food-bank" and food.created_by == world.pat
    existing.refresh_from_db()
    assert existing.website == "pya.org"
    assert set(Contact.objects.values_list("name", flat=True)) == {"Ana Ruiz", "Luis Vega"}
    assert import_audits("partner.create").get().actor == world.pat
    assert import_audits("partner.update").count() == 1
    assert import_audits("contact.create").count() == 2


def test_import_files_created_and_updated_partners_into_the_live_index(
    world, django_capture_on_commit_callbacks
):
    existing = make_partner("Pomona Youth Alliance", ein="95-4417582")
    index = partner_index()
    with django_capture_on_commit_callbacks(execute=True):
        report = run(
            "partners",
            [
                ["name", "ein", "website"],
                ["Harbor Food Bank", "", "harborfood.org"],
                ["Pomona Youth Alliance", "954417582", "pya.org"],
            ],
            world.pat,
        )
    assert report.written, report.message
    food = Partner.objects.get(name="Harbor Food Bank")
    # The same index object, brought up to date at commit: no rebuild for the next check.
    assert partner_index() is index
    assert index.get(food.pk).website == "harborfood.org"
    assert index.get(existing.pk).website == "pya.org"


def test_import_strict_writes_nothing_when_one_row_is_invalid(world):
    rows = [
        ["name", "kind", "public_email"],
        ["Good Org", "", ""],
        ["", "", ""],
        ["Bad Kind Org", "spaceship", "not-an-email"],
    ]
    report = run("partners", rows, world.pat)
    assert not report.written
    assert "Nothing was imported" in report.message
    assert report.summary()["errors"] == 1
    (bad,) = report.errors
    assert bad.number == 4
    assert [
        "kind",
        "“spaceship” is not one of: nonprofit, business, philanthropy, higher_ed, "
        "county, city, faith, health, other.",
    ] in bad.errors
    assert any(col == "public_email" for col, _ in bad.errors)
    assert not Partner.objects.exists()


def test_import_lenient_writes_valid_rows_and_reports_skipped(world):
    rows = [["name", "kind"], ["Good Org", ""], ["Bad Kind Org", "spaceship"]]
    report = run("partners", rows, world.pat, strict=False)
    assert report.written
    assert report.summary() | {} == {**report.summary(), "created": 1, "skipped": 1, "errors": 1}
    assert list(Partner.objects.values_list("name", flat=True)) == ["Good Org"]


def test_import_dry_run_counts_but_writes_nothing(world):
    report = run("partners", [["name"], ["Good Org"]], world.pat, dry_run=True)
    assert report.counts["created"] == 1 and not report.written
    assert not Partner.objects.exists()


DUP_ROWS = [
    ["name", "website", "contact_name"],
    ["Boys and Girls Club of Pomona Valley", "bgcpv.org", "Rita Soto"],
    ["Sunrise Family Resource Center", "", ""],
    ["Sunrise Family Resource Centre", "", ""],
]


@pytest.fixture
def club(world):
    return make_partner("Boys & Girls Club of Pomona Valley", website="https://www.bgcpv.org")


def test_import_preview_flags_existing_and_in_file_duplicates(world, club):
    rows, headers = import_read(kind="partners", data=csv_bytes(DUP_ROWS), filename="p.csv")
    parsed = import_analyse(kind="partners", rows=rows, headers=headers, actor=world.pat)
    assert [r.status for r in parsed] == [DUPLICATE, NEW, DUPLICATE]
    assert parsed[0].matches[0]["id"] == club.pk
    assert "likely duplicate" in parsed[0].matches[0]["reasons"]
    assert parsed[2].matches[0]["row"] == 3
    assert not Partner.objects.exclude(pk=club.pk).exists()


@pytest.mark.parametrize(
    ("default", "partners", "linked"),
    [("skip", 2, 0), ("create", 4, 0), ("link", 2, 2)],
)
def test_import_default_duplicate_decision(world, club, default, partners, linked):
    report = run("partners", DUP_ROWS, world.pat, default_decision=default)
    assert report.written, report.message
    assert Partner.objects.count() == partners
    assert report.counts["linked"] == linked
    if default == "link":
        club.refresh_from_db()
        assert "Boys and Girls Club of Pomona Valley" in club.aliases
        assert club.contacts.get().name == "Rita Soto"
        assert import_audits("partner.use_existing").count() == 2
        assert (
            "Sunrise Family Resource Centre"
            in Partner.objects.get(name="Sunrise Family Resource Center").aliases
        )
    if default == "create":
        audit = import_audits("partner.create").get(
            object_id=str(Partner.objects.get(name="Boys and Girls Club of Pomona Valley").pk)
        )
        assert audit.changes["created_anyway_over"][0]["id"] == club.pk


def test_import_explicit_decisions_and_undecided_rows(world, club):
    rows, headers = import_read(kind="partners", data=csv_bytes(DUP_ROWS), filename="p.csv")
    undecided = import_apply(
        kind="partners", rows=rows, headers=headers, actor=world.pat, default_decision=None
    )
    assert not undecided.written
    assert [r.number for r in undecided.errors] == [2, 4]
    assert "Choose what to do" in undecided.errors[0].errors[0][1]
    forged = import_apply(
        kind="partners",
        rows=rows,
        headers=headers,
        actor=world.pat,
        decisions={"2": "link:999999", "4": "skip"},
        default_decision=None,
    )
    assert not forged.written
    decided = import_apply(
        kind="partners",
        rows=rows,
        headers=headers,
        actor=world.pat,
        decisions={"2": f"link:{club.pk}", "4": "create"},
        default_decision=None,
    )
    assert decided.written
    assert Partner.objects.count() == 3


def test_import_permissions_per_kind(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run("partners", [["name"], ["X"]], world.lee)
    with pytest.raises(PermissionDenied):
        run("schools", [["CDSCode", "District", "School"], ["19000000000001", "D", "S"]], world.pat)
    with pytest.raises(PermissionDenied):
        run("events", [["school_cds_code", "kind", "date"]], world.pat)


def test_import_schools_cde_layout(world):
    rows = [
        [
            "CDSCode",
            "NCESDist",
            "County",
            "District",
            "School",
            "Street",
            "City",
            "Zip",
            "Latitude",
            "Longitude",
            "StatusType",
            "SOCType",
            "GSserved",
            "Charter",
        ],
        [
            "19647330000000",
            "0622710",
            "Los Angeles",
            "Los Angeles Unified",
            "",
            "333 S Beaudry",
            "Los Angeles",
            "90017",
            "34.0",
            "-118.2",
            "Active",
            "",
            "",
            "",
        ],
        [
            "19647331933266",
            "0622710",
            "Los Angeles",
            "Los Angeles Unified",
            "Roosevelt Sr High",
            "456 S Mathews",
            "Los Angeles",
            "90033",
            "34.040",
            "-118.2120",
            "Active",
            "High Schools (Public)",
            "9-12",
            "N",
        ],
        [
            world.garfield.cds_code,
            "",
            "Los Angeles",
            "West Harbor Unified",
            "Garfield Elementary",
            "1 Main",
            "Carson",
            "90745",
            "",
            "",
            "Active",
            "",
            "K-5",
            "No",
        ],
    ]
    report = run("schools", rows, world.ana)
    assert report.written, [r.errors for r in report.rows]
    assert [r.status for r in report.rows] == [NEW, NEW, UPDATE]
    school = School.objects.get(cds_code="19647331933266")
    assert school.district.name == "Los Angeles Unified" and school.grades == "9-12"
    assert school.latitude == Decimal("34.040000")
    assert District.objects.get(cds_code="19647330000000").street == "333 S Beaudry"
    world.garfield.refresh_from_db()
    assert world.garfield.street == "1 Main"
    assert import_audits("school.create").count() == 1


def test_import_schools_bad_cds_code(world):
    report = run(
        "schools", [["CDSCode", "District", "School"], ["1964733", "LAUSD", "X"]], world.ana
    )
    assert report.errors[0].errors == [["CDSCode", "“1964733” is not a 14-digit CDS code."]]


def test_import_grants_funding_partnerships(world):
    food = make_partner("Harbor Food Bank", ein="95-4417582")
    grants = run(
        "grants",
        [
            ["school_cds_code", "grant_type", "cohort", "start_date", "end_date", "amount"],
            [
                world.roosevelt.cds_code,
                "Implementation",
                "2",
                "2023-07-01",
                "2028-06-30",
                "$1,250,000",
            ],
        ],
        world.ana,
    )
    assert grants.written, grants.errors and grants.errors[0].errors
    assert CommunitySchoolGrant.objects.get().amount == Decimal("1250000")
    again = run(
        "grants",
        [
            ["school_cds_code", "grant_type", "cohort", "start_date", "end_date", "status"],
            [world.roosevelt.cds_code, "implementation", "2", "2023-07-01", "2028-06-30", "closed"],
        ],
        world.ana,
    )
    assert [r.status for r in again.rows] == [UPDATE]
    assert CommunitySchoolGrant.objects.get().status == "closed"
    funding = run(
        "funding",
        [
            ["source", "amount", "fiscal_year", "partner", "school_cds_code"],
            ["Ballmer Group", "25000", "FY 2024-25", "954417582", world.garfield.cds_code],
        ],
        world.pat,
    )
    assert funding.written, funding.errors and funding.errors[0].errors
    assert Funding.objects.get().partner == food and Funding.objects.get().fiscal_year == 2025
    partnership = run(
        "partnerships",
        [
            ["partner", "start_date", "strategic", "agreement_type", "school_cds_codes"],
            [
                "harbor food bank",
                "2024-09-01",
                "yes",
                "MOU",
                f"{world.roosevelt.cds_code};{world.garfield.cds_code}",
            ],
        ],
        world.pat,
    )
    assert partnership.written, partnership.errors and partnership.errors[0].errors
    made = Partnership.objects.get()
    assert made.strategic and made.agreement_type == "mou" and made.schools.count() == 2
    assert import_audits("partnership.create").count() == 1


def test_import_unknown_partner_reference_is_a_row_error(world):
    report = run(
        "funding",
        [
            ["source", "amount", "fiscal_year", "partner"],
            ["Ballmer", "10", "2025", "Nobody Anywhere Inc"],
        ],
        world.pat,
    )
    assert report.errors[0].errors[0][0] == "partner"
    assert "No partner matches" in report.errors[0].errors[0][1]


def test_import_coordinator_events_and_referrals_own_schools_only(world):
    food = make_partner("Harbor Food Bank")
    events = [
        ["school_cds_code", "kind", "date", "title", "participants", "partners"],
        [
            world.roosevelt.cds_code,
            "Family night",
            "10/15/2024",
            "Fall family night",
            "120",
            "Harbor Food Bank",
        ],
        [world.garfield.cds_code, "workshop", "2024-10-16", "Not mine", "10", ""],
    ]
    refused = run("events", events, world.cora)
    assert not refused.written
    assert refused.errors[0].number == 3
    assert "only import rows for your own schools" in refused.errors[0].errors[0][1]
    lenient = run("events", events, world.cora, strict=False)
    assert lenient.written
    event = Event.objects.get()
    assert event.school == world.roosevelt and list(event.partners.all()) == [food]
    assert event.recorded_by == world.cora
    referrals = [
        [
            "school_cds_code",
            "partner",
            "student_ref",
            "need_category",
            "referred_on",
            "consent_on_file",
            "consent_date",
        ],
        [
            world.roosevelt.cds_code,
            "Harbor Food Bank",
            "STU-1001",
            "Food",
            "2024-10-20",
            "yes",
            "2024-10-01",
        ],
    ]
    assert run("referrals", referrals, world.cora).written
    referral = Referral.objects.get()
    assert referral.consent_on_file and referral.referred_on == dt.date(2024, 10, 20)
    audit = import_audits("referral.create").get()
    assert "STU-1001" not in str(audit.changes)
    assert not run(
        "referrals", referrals[:1] + [[world.roosevelt.cds_code, *referrals[1][1:]]], world.omar
    ).written


def test_import_row_with_too_many_cells(world):
    report = run("partners", [["name"], ["A Org", "stray"]], world.pat)
    assert report.errors[0].errors == [["(row)", "This row has 2 cells; the header has 1."]]
    assert report.errors[0].status == ERROR
