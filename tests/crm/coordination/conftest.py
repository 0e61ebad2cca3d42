"""A community-school world: events and referrals at Cora's Roosevelt and at Omar's Garfield."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import make_event, make_partner, make_referral


@pytest.fixture
def schools(world):
    food_bank = make_partner("Harbor Food Bank")
    clinic = make_partner("Eastside Family Clinic")
    return SimpleNamespace(
        world=world,
        food_bank=food_bank,
        clinic=clinic,
        r_event=make_event(world.roosevelt, title="Roosevelt Family Night", participants=40),
        g_event=make_event(world.garfield, title="Garfield Coat Drive", participants=25),
        r_ref=make_referral(world.roosevelt, food_bank, student_ref="ROOS-1001"),
        g_ref=make_referral(world.garfield, clinic, student_ref="GARF-2002"),
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


DAY = dt.date(2024, 10, 20)
