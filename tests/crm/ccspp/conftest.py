"""A CCSPP scenario for FY 2024-25: two schools of one district, one of another, hand-counted.

East Valley Unified: Roosevelt High (Cora's, implementation grant) and Lincoln Middle (planning
grant ended June 30, 2024: not funded in FY 2024-25). West Harbor Unified: Garfield (Omar's).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from crm.models import Pillar
from crm.services.activity import event_update
from crm.services.referrals import referral_status_change
from crm.services.vocabulary import vocabulary_term_save
from tests.factories import (
    make_asset,
    make_event,
    make_funding,
    make_grant,
    make_need,
    make_partner,
    make_partnership,
    make_referral,
    make_school,
    make_service_category,
)


@pytest.fixture
def ccspp(world):
    lincoln = make_school(district=world.east, name="Lincoln Middle")
    food = make_service_category("Food security")
    mental = make_service_category("Mental health")
    legal = make_service_category("Legal services")
    supports = Pillar.objects.get(code="integrated_supports")
    family = Pillar.objects.get(code="family_engagement")
    # Services by pillar: food counts under supports; mental health under supports and family.
    for category, pillars in ((food, [supports]), (mental, [supports, family])):
        vocabulary_term_save(
            model=type(category),
            term=category,
            data={},
            pillars=pillars,
            actor=None,
            source="command",
        )
    pantry = make_partner(
        "Eastside Pantry", service_categories=[food], schools_served=[world.roosevelt]
    )
    # Serves the whole district, so Lincoln and Roosevelt.
    counsel = make_partner(
        "Valley Counseling", service_categories=[mental], districts_served=[world.east]
    )
    make_grant(world.roosevelt, amount=Decimal("1200000"))
    make_grant(
        lincoln,
        grant_type="planning",
        start_date=dt.date(2022, 7, 1),
        end_date=dt.date(2024, 6, 30),
        amount=Decimal("200000"),
    )
    make_grant(world.garfield, cohort=2, amount=Decimal("800000"))
    # FY edges: June 30, 2024 is FY 2023-24; July 1, 2024 and June 30, 2025 are FY 2024-25.
    make_event(world.roosevelt, kind="workshop", date=dt.date(2024, 6, 30), participants=99)
    night = make_event(
        world.roosevelt,
        kind="family_night",
        date=dt.date(2024, 7, 1),
        participants=120,
        items_distributed=30,
    )
    make_event(world.roosevelt, kind="workshop", date=dt.date(2025, 6, 30), participants=15)
    make_event(
        lincoln,
        kind="distribution",
        date=dt.date(2024, 12, 5),
        participants=200,
        items_distributed=500,
    )
    make_event(world.garfield, kind="engagement", date=dt.date(2025, 3, 3), participants=60)
    event_update(event=night, data={}, pillars=[family], actor=None, source="command")
    # Roosevelt: 12 referrals of 11 people (one person twice), 9 completed, 1 declined, 2 open.
    for i in range(11):
        referral = make_referral(
            world.roosevelt, pantry, student_ref=f"ROOS-{i:03d}", referred_on=dt.date(2024, 9, 2)
        )
        path = (
            ["accepted", "in_service", "completed"] if i < 9 else (["declined"] if i == 9 else [])
        )
        for status in path:
            referral = referral_status_change(
                referral=referral,
                to_status=status,
                outcome={"completed": "Served", "declined": "Went elsewhere"}.get(status, ""),
                reason="Family moved" if status == "declined" else "",
                changed_on=dt.date(2024, 10, 1),
                actor=None,
                source="command",
            )
    make_referral(
        world.roosevelt,
        counsel,
        student_ref="ROOS-000",
        need_category="mental_health",
        referred_on=dt.date(2025, 1, 9),
    )
    make_referral(lincoln, counsel, student_ref="LINC-001", referred_on=dt.date(2025, 2, 2))
    make_referral(world.garfield, pantry, student_ref="GARF-001", referred_on=dt.date(2024, 6, 1))
    make_funding(school=world.roosevelt, fiscal_year=2025, amount=Decimal("25000"))
    make_funding(school=lincoln, fiscal_year=2025, amount=Decimal("5000"))
    make_funding(school=world.garfield, fiscal_year=2024, amount=Decimal("7000"))
    partnership = make_partnership(
        pantry, scope="schools", schools=[world.roosevelt], pillars=[family]
    )
    make_need(world.roosevelt, category=food)  # met: Eastside Pantry serves Roosevelt
    make_need(world.roosevelt, category=legal)  # unmet
    make_need(lincoln, category=mental)  # met through the district
    make_need(lincoln, category=food, priority="medium")  # unmet: the pantry serves Roosevelt only
    make_need(world.garfield, description="Transportation to after-school programs")
    make_asset(world.roosevelt, name="Family resource center")
    return SimpleNamespace(
        world=world,
        lincoln=lincoln,
        food=food,
        mental=mental,
        legal=legal,
        pantry=pantry,
        counsel=counsel,
        partnership=partnership,
    )
