"""Fixtures of the report tests: frozen time and the hand-computed scenario in the database."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.crm.reports.report_scenario import build_scenario


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 8, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def scenario(world, frozen):
    return build_scenario(world)
