"""One hand-computed FY 2024-25 scenario, as pure records and as database rows (conftest).

Every edge case the report issue lists is in it; EXPECTED holds the figures worked out by hand
(see the comments in SPEC), and both the pure function and the selector must produce them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from crm.reports import annual
from crm.reports.annual import compute_report, rows_from_records

D = dt.date
FY = 2025
BASELINE = 2022

# Partners: (key, kind, service categories, equity focus groups, districts served, merged into)
PARTNERS = [
    ("A", "business", ("Food",), ("Foster youth",), ("east",), None),
    ("B", "nonprofit", ("Food", "Housing"), (), (), None),
    ("C", "nonprofit", (), (), ("west",), None),
    ("D", "county", (), (), (), None),
    ("E", "nonprofit", (), (), (), "F"),
    ("F", "health", ("Mental health",), ("English learners",), ("east", "west"), None),
    ("G", "nonprofit", (), (), (), None),
    ("H", "nonprofit", (), (), (), None),
    ("I", "nonprofit", (), (), (), None),
]

# Partnerships: (partner, start, end, strategic, agreement type, status)
PARTNERSHIPS = [
    ("A", D(2024, 7, 1), None, True, "mou", "active"),  # starts on July 1: new in FY25
    ("B", D(2022, 1, 10), D(2025, 6, 30), True, "contract", "ended"),  # ends June 30
    ("C", D(2021, 9, 1), D(2023, 3, 1), True, "mou", "ended"),  # ended, then restarted:
    ("C", D(2024, 10, 1), None, True, "mou", "active"),
    ("D", D(2020, 1, 1), None, False, "informal", "active"),  # not strategic
    ("E", D(2023, 1, 1), None, True, "data_sharing", "active"),  # left on a merged-away partner
    ("F", D(2022, 8, 1), None, True, "mou", "active"),
    ("G", D(2023, 9, 1), None, True, "mou", "active"),  # a partner with two partnerships
    ("G", D(2024, 2, 1), D(2024, 12, 31), True, "informal", "ended"),
    ("H", D(2024, 8, 1), None, True, "mou", "proposed"),  # proposed: never counted
    ("I", D(2025, 7, 1), None, True, "mou", "active"),  # starts after FY25
]

# Schools and CCSPP grants: (school, grant type, cohort, start, end, status); baseline FY 2021-22.
GRANTS = [
    ("S1", "implementation", 1, D(2021, 7, 1), D(2026, 6, 30), "active"),  # FY22-FY26
    ("S2", "planning", 2, D(2022, 7, 1), D(2023, 6, 30), "closed"),  # FY23 only, then
    ("S2", "implementation", 2, D(2023, 7, 1), D(2028, 6, 30), "active"),  # FY24-FY28
    ("S3", "coordination", 3, D(2024, 1, 15), D(2024, 12, 31), "active"),  # spans FY24-FY25
    ("S4", "implementation", 3, D(2024, 7, 1), D(2025, 6, 30), "withdrawn"),  # never counted
]

# Events: (school, kind, date, participants, items)
EVENTS = [
    ("S1", "engagement", D(2024, 7, 1), 30, 0),
    ("S2", "family_night", D(2025, 6, 30), 20, 5),
    ("S1", "workshop", D(2024, 12, 1), 15, 0),
    ("S3", "distribution", D(2025, 3, 1), 0, 200),
    ("S1", "workshop", D(2025, 7, 1), 99, 0),  # FY26
    ("S1", "workshop", D(2024, 6, 30), 10, 0),  # FY24
]

# Referrals: (school, student ref, need, date); the same ref at another school is another person.
REFERRALS = [
    ("S1", "STU-001", "food", D(2024, 8, 1)),
    ("S1", "STU-001", "housing", D(2024, 9, 1)),
    ("S2", "STU-001", "food", D(2025, 1, 1)),
    ("S1", "STU-002", "mental_health", D(2025, 6, 30)),
    ("S1", "STU-003", "food", D(2024, 6, 30)),  # FY24
]

FUNDING = [(2025, Decimal("25000")), (2025, Decimal("10000.50")), (2024, Decimal("5000"))]

# Open likely pairs: A-B (both counted), A-D (D is not strategic); one already decided.
DUPLICATES = [("A", "B", "open"), ("A", "D", "open"), ("B", "C", "not_duplicate")]

EXPECTED = {
    # FY25 at year end: A, B (ends June 30), C (restarted), F (with E's partnership), G.
    "strategic_partners": 5,
    # FY24 at year end: B, F (+E), G.
    "strategic_partners_previous": 3,
    "growth_pct": 66.7,
    "target_met": True,
    # Agreements at year end FY25: A, B, C2, E, F, G1; FY24: B, E, F, G1, G2.
    "agreements": 6,
    "agreements_previous": 5,
    "agreements_growth_pct": 20.0,
    "agreements_target_met": True,
    # Strategic, FY25: new A, C2; continuing B, E, F, G1, G2; ended B, G2.
    "new": 2,
    "continuing": 5,
    "ended": 2,
    "flows": [
        ("Strategic partnerships", 7, 2, 5, 2, 6, 5),
        ("All partnerships", 8, 2, 6, 2, 7, 6),
    ],
    "agreements_by_type": [("MOU", 4), ("Contract", 1), ("Data-sharing agreement", 1)],
    "community_schools": 3,
    "community_schools_previous": 3,
    "community_schools_baseline": 1,
    "additional_schools": 2,
    "schools_target_met": False,
    "schools_by_grant_type": [("Implementation", 2), ("Coordination", 1)],
    "schools_by_cohort": [("Cohort 1", 1), ("Cohort 2", 1), ("Cohort 3", 1)],
    "individuals_referred": 3,
    "individuals_referred_previous": 1,
    "referrals": 4,
    "referrals_by_need": [("Food", 2), ("Housing", 1), ("Mental health", 1)],
    "referrals_by_status": [("Referred", 4)],
    "engagement_events": 2,
    "engagement_participants": 50,
    "workshops": 1,
    "workshop_participants": 15,
    "items_distributed": 205,
    "funding_secured": Decimal("35000.50"),
    "partnerships_developed": 2,
    "by_partner_kind": [("Community-based nonprofit", 3), ("Business", 1), ("Health provider", 1)],
    "by_service_category": [
        ("Food", 2),
        ("Housing", 1),
        ("Mental health", 1),
        ("None recorded", 2),
    ],
    "by_equity_focus_group": [("English learners", 1), ("Foster youth", 1), ("None recorded", 3)],
    "by_district": [("East", 2), ("West", 2), ("None recorded", 2)],
    # FY21 0, FY22 B + C1, FY23 B + F, FY24 3, FY25 5; the path compounds 20% from FY22.
    "trend": [
        (2021, 0, None, None, 0),
        (2022, 2, 2.0, None, 1),
        (2023, 2, 2.4, 0.0, 2),
        (2024, 3, 2.9, 50.0, 3),
        (2025, 5, 3.5, 66.7, 3),
    ],
    "unresolved_likely_duplicates": 2,
    "likely_duplicates_counted": 1,
}

LABELS = {
    "agreement_type": {
        "mou": "MOU",
        "contract": "Contract",
        "data_sharing": "Data-sharing agreement",
        "informal": "Informal",
    },
    "grant_type": {"implementation": "Implementation", "coordination": "Coordination"},
    "need": {"food": "Food", "housing": "Housing", "mental_health": "Mental health"},
    "referral_status": {"referred": "Referred"},
    "partner_kind": {
        "nonprofit": "Community-based nonprofit",
        "business": "Business",
        "health": "Health provider",
    },
}
DISTRICT_NAMES = {"east": "East", "west": "West"}


def report_figures(report) -> dict:
    """The report's figures in the shape of EXPECTED."""
    lines = lambda items: [(i.label, i.value) for i in items]  # noqa: E731
    return {
        **{k: getattr(report, k) for k in EXPECTED if k not in _SHAPED},
        "flows": [
            (f.label, f.active, f.new, f.continuing, f.ended, f.at_year_end, f.partners_at_year_end)
            for f in report.flows
        ],
        **{k: lines(getattr(report, k)) for k in _SHAPED if k not in ("flows", "trend")},
        "trend": [
            (t.fiscal_year, t.strategic_partners, t.target_path, t.growth_pct, t.community_schools)
            for t in report.trend
        ],
    }


_SHAPED = {
    "flows",
    "trend",
    "agreements_by_type",
    "schools_by_grant_type",
    "schools_by_cohort",
    "referrals_by_need",
    "referrals_by_status",
    "by_partner_kind",
    "by_service_category",
    "by_equity_focus_group",
    "by_district",
}


def pure_rows(fiscal_year: int = FY):
    keys = {name: i for i, (name, *_rest) in enumerate(PARTNERS, start=1)}
    merged = {keys[p[0]]: keys[p[5]] for p in PARTNERS if p[5]}
    schools = {"S1": 1, "S2": 2, "S3": 3, "S4": 4}
    return rows_from_records(
        fiscal_year=fiscal_year,
        baseline_fy=BASELINE,
        partnerships=[
            annual.PartnershipRecord(
                merged.get(keys[p], keys[p]), start, end, strategic, agreement, status
            )
            for p, start, end, strategic, agreement, status in PARTNERSHIPS
        ],
        partners=[
            annual.PartnerRecord(
                keys[name], kind, cats, groups, tuple(DISTRICT_NAMES[d] for d in districts)
            )
            for name, kind, cats, groups, districts, into in PARTNERS
            if not into
        ],
        grants=[annual.GrantRecord(schools[s], *rest) for s, *rest in GRANTS],
        events=[
            annual.EventRecord(day, kind, people, items) for _s, kind, day, people, items in EVENTS
        ],
        referrals=[
            annual.ReferralRecord(day, schools[s], ref, "referred", need)
            for s, ref, need, day in REFERRALS
        ],
        funding=[annual.FundingRecord(fy, amount) for fy, amount in FUNDING],
        duplicate_pairs=[
            annual.DuplicatePairRecord(keys[left], keys[right])
            for left, right, status in DUPLICATES
            if status == "open"
        ],
        labels=LABELS,
    )


def pure_report(fiscal_year: int = FY):
    return compute_report(
        pure_rows(fiscal_year),
        fiscal_year=fiscal_year,
        growth_target_pct=20,
        schools_target=105,
        baseline_fy=BASELINE,
    )


def build_scenario(world):
    """The same scenario in the database, written through the services (via the factories)."""
    from tests import factories as f

    districts = {"east": world.east, "west": world.west}
    world.east.name, world.west.name = "East", "West"
    world.east.save(update_fields=["name"])
    world.west.save(update_fields=["name"])
    partners = {}
    for name, kind, cats, groups, served, _into in PARTNERS:
        partners[name] = f.make_partner(
            f"Scenario Partner {name}",
            kind=kind,
            service_categories=[f.make_service_category(c) for c in cats],
            equity_focus_groups=[f.make_focus_group(g) for g in groups],
            districts_served=[districts[d] for d in served],
        )
    for p, start, end, strategic, agreement, status in PARTNERSHIPS:
        f.make_partnership(
            partners[p],
            start_date=start,
            end_date=end,
            strategic=strategic,
            agreement_type=agreement,
            status=status,
        )
    for name, *_rest, into in PARTNERS:
        if into:
            f.make_merged(partners[name], partners[into])
    schools = {"S1": world.roosevelt, "S2": world.garfield}
    schools["S3"] = f.make_school(district=world.east, name="Lincoln Middle")
    schools["S4"] = f.make_school(district=world.west, name="Jefferson Elementary")
    for s, grant_type, cohort, start, end, status in GRANTS:
        f.make_grant(
            schools[s],
            grant_type=grant_type,
            cohort=cohort,
            start_date=start,
            end_date=end,
            status=status,
        )
    for s, kind, day, people, items in EVENTS:
        f.make_event(schools[s], kind=kind, date=day, participants=people, items_distributed=items)
    for s, ref, need, day in REFERRALS:
        f.make_referral(
            schools[s], partners["A"], student_ref=ref, need_category=need, referred_on=day
        )
    for fy, amount in FUNDING:
        f.make_funding(fiscal_year=fy, amount=amount)
    for left, right, status in DUPLICATES:
        f.make_duplicate_candidate(partners[left], partners[right], status=status)
    return SimpleNamespace(world=world, partners=partners, schools=schools)
