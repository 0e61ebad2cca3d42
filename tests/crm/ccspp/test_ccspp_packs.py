"""Progress packs: hand-counted figures at fiscal-year edges, and school -> district -> county sums
that agree with the annual report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from crm.reports.packs import Figures, school_figures, sum_figures, suppress
from crm.selectors.packs import county_pack, district_pack, resolve_pack, school_pack
from crm.selectors.reports import annual_report

FY = 2025
TODAY = dt.datetime(2025, 11, 30, 12, tzinfo=dt.UTC)


def test_a_school_pack_counts_by_hand(ccspp):
    f = school_pack(school=ccspp.world.roosevelt, fiscal_year=FY).figures
    assert f.funded_schools == 1 and f.grant_amount == Decimal("1200000")
    # The June 30, 2024 workshop belongs to FY 2023-24; July 1 and June 30, 2025 to FY 2024-25.
    assert f.events == {"family_night": (1, 120, 30), "workshop": (1, 15, 0)}
    assert (f.engagement_events, f.engagement_participants) == (1, 120)
    assert (f.workshops, f.workshop_participants, f.items_distributed) == (1, 15, 30)
    assert (f.referrals, f.individuals) == (12, 11)
    assert (f.completed, f.closed_without_service, f.still_open) == (9, 1, 2)
    assert f.referrals_by_need == {"food": 11, "mental_health": 1}
    assert f.funding_secured == Decimal("25000")
    assert (f.partnerships, f.partnership_pillars, f.event_pillars) == (
        1,
        {"family_engagement": 1},
        {"family_engagement": 1},
    )
    assert (f.needs, f.needs_unmet, f.assets) == (2, 1, 1)
    # 11 food referrals (food security: supports) and 1 mental health (supports and family).
    assert f.service_pillars == {"integrated_supports": 12, "family_engagement": 1}


def test_needs_are_met_by_partners_serving_the_school_or_its_district(ccspp):
    pack = school_pack(school=ccspp.lincoln, fiscal_year=FY)
    [rows] = pack.schools
    met = {n.category: n.met for n in rows.needs}
    assert met == {"Mental health": True, "Food security": False}
    assert pack.partners == ("Valley Counseling",)
    assert pack.figures.funded_schools == 0  # its planning grant ended June 30, 2024


def test_a_need_without_category_is_neither_met_nor_a_gap(ccspp):
    [rows] = school_pack(school=ccspp.world.garfield, fiscal_year=FY).schools
    [need] = rows.needs
    assert need.met is None
    assert school_figures(rows).needs_unmet == 0


def _additive(f: Figures) -> tuple:
    return (
        f.funded_schools,
        f.grant_amount,
        f.funding_secured,
        f.events,
        f.referrals_by_need,
        f.referrals_by_status,
        f.individuals,
        f.partnerships,
        f.event_pillars,
        f.partnership_pillars,
        f.service_pillars,
        f.needs,
        f.needs_unmet,
        f.assets,
    )


def test_a_district_pack_is_the_sum_of_its_school_packs(ccspp):
    east = district_pack(district=ccspp.world.east, fiscal_year=FY)
    schools = [
        school_pack(school=s, fiscal_year=FY).figures
        for s in (ccspp.world.roosevelt, ccspp.lincoln)
    ]
    assert _additive(east.figures) == _additive(sum_figures(schools))
    assert east.figures.referrals == 13 and east.figures.individuals == 12
    # Lincoln's one food referral joins Roosevelt's twelve under integrated supports.
    assert east.figures.service_pillars == {"integrated_supports": 13, "family_engagement": 1}
    assert set(east.partners) == {"Eastside Pantry", "Valley Counseling"}


def test_the_county_is_the_sum_of_its_districts_and_agrees_with_the_annual_report(ccspp):
    county = county_pack(fiscal_year=FY).figures
    districts = [
        district_pack(district=d, fiscal_year=FY).figures
        for d in (ccspp.world.east, ccspp.world.west)
    ]
    assert _additive(county) == _additive(sum_figures(districts))
    # Garfield's only referral is in FY 2023-24, so West adds nothing to services by pillar.
    assert county.service_pillars == {"integrated_supports": 13, "family_engagement": 1}
    impact = {line.label: line.value for line in annual_report(fiscal_year=FY).impact}
    assert impact["Individuals referred to services"] == county.individuals == 12
    assert impact["Referrals made"] == county.referrals == 13
    assert impact["Engagement and support events"] == county.engagement_events == 2
    assert impact["Engagement and support event participants"] == county.engagement_participants
    assert impact["Workshops and trainings"] == county.workshops == 1
    assert impact["Items distributed"] == county.items_distributed == 530
    assert impact["Funding secured ($)"] == county.funding_secured == Decimal("30000")


@pytest.mark.parametrize(
    ("value", "shown"), [(0, 0), (1, "fewer than 11"), (10, "fewer than 11"), (11, 11)]
)
def test_small_counts_are_suppressed_as_on_the_public_site(value, shown):
    assert suppress(value) == shown


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fiscal_year": 2027, "school_cds": "x"}, "FY 2026-27 has not started yet."),
        ({"fiscal_year": FY, "school_cds": "19999999999999"}, "No school has the CDS code"),
        ({"fiscal_year": FY, "district_cds": "19999990000000"}, "No district has the CDS code"),
        ({"fiscal_year": FY, "school_cds": "1", "district_cds": "2"}, "not both"),
    ],
)
def test_a_bad_pack_request_says_what_was_wrong(db, kwargs, message):
    with pytest.raises(ValueError, match=message):
        resolve_pack(today=dt.date(2025, 11, 30), **kwargs)


def test_coordinators_pull_packs_of_their_own_schools_only(ccspp):
    w = ccspp.world
    assert (
        resolve_pack(
            fiscal_year=FY,
            today=dt.date(2025, 11, 30),
            school_cds=w.roosevelt.cds_code,
            user=w.cora,
        ).label
        == "Roosevelt High"
    )
    for kwargs in ({"school_cds": w.garfield.cds_code}, {"district_cds": w.east.cds_code}, {}):
        with pytest.raises(PermissionError):
            resolve_pack(fiscal_year=FY, today=dt.date(2025, 11, 30), user=w.cora, **kwargs)
    assert (
        resolve_pack(
            fiscal_year=FY, today=dt.date(2025, 11, 30), district_cds=w.east.cds_code, user=w.lee
        ).figures.referrals
        == 13
    )
