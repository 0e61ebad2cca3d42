"""Hand-computed cases for every definition, through the pure function and through the selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.reports import annual
from crm.reports.annual import compute_report, rows_from_records
from crm.selectors.reports import annual_report
from tests.crm.reports.report_scenario import BASELINE, EXPECTED, FY, pure_report, report_figures

D = dt.date


@pytest.mark.parametrize("figure", sorted(EXPECTED))
def test_pure_function_matches_hand_computed_figures(figure, frozen):
    assert report_figures(pure_report())[figure] == EXPECTED[figure]


def test_selector_matches_hand_computed_figures(scenario):
    figures = report_figures(annual_report(fiscal_year=FY))
    assert {k: v for k, v in figures.items() if v != EXPECTED[k]} == {}


def test_selector_and_pure_function_agree_on_another_year(scenario):
    # FY 2023-24 from the same data: nothing here was hand-tuned for it.
    assert report_figures(annual_report(fiscal_year=2024)) == report_figures(pure_report(2024))


@pytest.mark.parametrize(
    ("start", "end", "fy", "active", "new", "continuing", "ended", "at_year_end"),
    [
        (D(2024, 7, 1), None, 2025, True, True, False, False, True),  # starts July 1
        (D(2024, 7, 1), None, 2024, False, False, False, False, False),
        (D(2020, 1, 1), D(2025, 6, 30), 2025, True, False, True, True, True),  # ends June 30
        (D(2020, 1, 1), D(2025, 6, 30), 2026, False, False, False, False, False),
        (D(2020, 1, 1), D(2024, 7, 1), 2025, True, False, True, True, False),  # ends July 1
        (D(2020, 1, 1), D(2024, 6, 30), 2025, False, False, False, False, False),
        (D(2025, 6, 30), None, 2025, True, True, False, False, True),  # starts on the last day
        (D(2019, 3, 1), None, 2025, True, False, True, False, True),  # no end date
    ],
)
def test_predicates_on_the_fiscal_year_edges(
    start, end, fy, active, new, continuing, ended, at_year_end
):
    assert annual.active_in_fy(start, end, fy) is active
    assert annual.is_new(start, end, fy) is new
    assert annual.is_continuing(start, end, fy) is continuing
    assert annual.is_ended(start, end, fy) is ended
    assert annual.active_at_year_end(start, end, fy) is at_year_end


def _report(partnerships=(), grants=(), fiscal_year=FY):
    rows = rows_from_records(
        fiscal_year=fiscal_year,
        baseline_fy=BASELINE,
        partnerships=partnerships,
        grants=grants,
    )
    return compute_report(
        rows,
        fiscal_year=fiscal_year,
        growth_target_pct=20,
        schools_target=105,
        baseline_fy=BASELINE,
    )


def test_empty_prior_year_leaves_growth_undefined_not_a_crash():
    report = _report([annual.PartnershipRecord(1, D(2024, 9, 1), None, True)])
    assert (report.strategic_partners, report.strategic_partners_previous) == (1, 0)
    assert report.growth_pct is None and report.target_met is None
    assert report.agreements_growth_pct is None and report.agreements_target_met is None


def test_an_empty_database_gives_a_report_of_zeros():
    report = _report()
    assert report.strategic_partners == 0 and report.growth_pct is None
    assert report.trend[-1].target_path is None
    assert report.data_quality == "No unresolved likely-duplicate partner pairs."


@pytest.mark.parametrize(
    ("previous", "current", "growth", "met"),
    [(10, 12, 20.0, True), (10, 11, 10.0, False), (10, 8, -20.0, False), (3, 4, 33.3, True)],
)
def test_growth_against_the_target(previous, current, growth, met):
    partnerships = [
        annual.PartnershipRecord(i, D(2023, 9, 1), D(2024, 6, 30), True) for i in range(previous)
    ] + [annual.PartnershipRecord(100 + i, D(2024, 9, 1), None, True) for i in range(current)]
    report = _report(partnerships)
    assert (report.growth_pct, report.target_met) == (growth, met)


def test_small_cohorts_are_counted_exactly_and_ordered_by_number():
    grants = [
        annual.GrantRecord(1, "planning", 10, D(2024, 7, 1), D(2025, 6, 30)),
        annual.GrantRecord(2, "implementation", 2, D(2023, 7, 1), D(2026, 6, 30)),
        # One school with two grants in one cohort counts once in it.
        annual.GrantRecord(3, "planning", 2, D(2023, 7, 1), D(2024, 8, 1)),
        annual.GrantRecord(3, "implementation", 2, D(2024, 8, 2), D(2027, 6, 30)),
    ]
    report = _report(grants=grants)
    assert [(line.label, line.value) for line in report.schools_by_cohort] == [
        ("Cohort 2", 2),
        ("Cohort 10", 1),
    ]
    assert report.community_schools == 3


def test_schools_reach_the_target_with_105_additional_schools():
    grants = [annual.GrantRecord(1, "planning", 1, D(2021, 7, 1), D(2025, 6, 30))] + [
        annual.GrantRecord(i, "implementation", 2, D(2023, 1, 1), D(2026, 6, 30))
        for i in range(2, 107)
    ]
    report = _report(grants=grants)
    assert (report.community_schools_baseline, report.additional_schools) == (1, 105)
    assert report.schools_target_met is True


def test_funding_and_definitions_travel_with_the_report():
    report = pure_report()
    assert isinstance(report.funding_secured, Decimal)
    assert any("June 30" in d for d in report.definitions)
    assert report.label == "FY 2024-25"
    assert (report.period_start, report.period_end) == (D(2024, 7, 1), D(2025, 6, 30))


spans = st.tuples(
    st.dates(D(2018, 1, 1), D(2026, 12, 31)),
    st.one_of(st.none(), st.integers(0, 2500)),
    st.booleans(),
).map(lambda t: (t[0], None if t[1] is None else t[0] + dt.timedelta(days=t[1]), t[2]))


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=25), st.integers(2019, 2026))
def test_grouped_rows_give_the_same_counts_as_the_dated_definitions(items, fy):
    records = [
        annual.PartnershipRecord(i % 7, start, end, strategic)
        for i, (start, end, strategic) in enumerate(items)
    ]
    rows = rows_from_records(fiscal_year=fy, baseline_fy=BASELINE, partnerships=records)
    for strategic_only in (True, False):
        scope = [r for r in records if r.strategic or not strategic_only]
        got = annual.partnership_count(rows, fy, strategic_only)
        assert (got.active, got.new, got.continuing, got.ended, got.at_year_end) == tuple(
            sum(predicate(r.start, r.end, fy) for r in scope)
            for predicate in (
                annual.active_in_fy,
                annual.is_new,
                annual.is_continuing,
                annual.is_ended,
                annual.active_at_year_end,
            )
        )
        assert got.partners_at_year_end == len(
            {r.partner_key for r in scope if annual.active_at_year_end(r.start, r.end, fy)}
        )
