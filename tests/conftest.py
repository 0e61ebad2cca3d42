"""Shared fixtures: the named personas and a small world of two schools in two districts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from crm.roles import ADMINISTRATORS, LEADERSHIP, PARTNERSHIP_STAFF, SITE_COORDINATORS


@pytest.fixture(autouse=True)
def _fresh_partner_index():
    # The matcher index is cached per process; rolled-back tests must not see each other's partners.
    from crm.selectors.partners import partner_index_clear

    partner_index_clear()
    yield
    partner_index_clear()


@pytest.fixture
def world(db):
    """Two districts, a school in each, and one persona per role.

    Personas: Ana (administrator), Pat (partnership staff), Cora (coordinator of Roosevelt High),
    Omar (coordinator of Garfield Elementary), Lee (leadership), Sam (superuser).
    """
    from tests.factories import make_district, make_school, make_user

    east = make_district(name="East Valley Unified")
    west = make_district(name="West Harbor Unified")
    roosevelt = make_school(district=east, name="Roosevelt High")
    garfield = make_school(district=west, name="Garfield Elementary")
    return SimpleNamespace(
        east=east,
        west=west,
        roosevelt=roosevelt,
        garfield=garfield,
        ana=make_user("ana", role=ADMINISTRATORS),
        pat=make_user("pat", role=PARTNERSHIP_STAFF, slack_user_id="U0PAT"),
        cora=make_user("cora", role=SITE_COORDINATORS, schools=[roosevelt], slack_user_id="U0CORA"),
        omar=make_user("omar", role=SITE_COORDINATORS, schools=[garfield]),
        lee=make_user("lee", role=LEADERSHIP),
        sam=make_user("sam", superuser=True),
    )
