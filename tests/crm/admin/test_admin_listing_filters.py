"""Listing search and filters return the right rows (on SQLite and PostgreSQL alike)."""

import datetime as dt

import pytest
from django.urls import reverse

from crm.models import ServiceCategory
from tests.factories import make_grant, make_partner, make_partnership


def _names(client, url_name, **params) -> set[str]:
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["object_list"]}


@pytest.fixture
def listing(world, client):
    food = ServiceCategory.objects.create(slug="food", name="Food")
    efrc = make_partner(
        "Eastside Family Resource Center", aliases=["EFRC"], service_categories=[food]
    )
    league = make_partner("Westside Youth League", kind="business", published=True)
    make_partnership(efrc, title="EFRC MOU", strategic=True, start_date=dt.date(2023, 9, 1))
    make_partnership(
        league,
        title="League pilot",
        start_date=dt.date(2021, 9, 1),
        end_date=dt.date(2022, 6, 1),
        status="ended",
    )
    make_grant(world.roosevelt, start_date=dt.date(2024, 7, 1), end_date=dt.date(2026, 6, 30))
    make_grant(world.garfield, start_date=dt.date(2019, 7, 1), end_date=dt.date(2021, 6, 30))
    client.force_login(world.ana)
    return client, food


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "efrc"}, {"Eastside Family Resource Center"}),
        ({"q": "youth"}, {"Westside Youth League"}),
        ({"kind": "business"}, {"Westside Youth League"}),
        ({"published": "true"}, {"Westside Youth League"}),
    ],
)
def test_partner_search_and_filters(listing, params, expected):
    client, _food = listing
    assert _names(client, "crm_partner:index", **params) == expected


def test_partner_filter_by_service_category(listing):
    client, food = listing
    names = _names(client, "crm_partner:index", service_categories=food.pk)
    assert names == {"Eastside Family Resource Center"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"strategic": "true"}, {"EFRC MOU"}),
        ({"fiscal_year": "2025"}, {"EFRC MOU"}),
        ({"fiscal_year": "2022"}, {"League pilot"}),
        ({"status": "ended"}, {"League pilot"}),
    ],
)
def test_partnership_filters(listing, params, expected):
    client, _food = listing
    assert _names(client, "crm_partnership:index", **params) == expected


@pytest.mark.parametrize(
    ("fy", "expected"), [("2025", {"Roosevelt High"}), ("2021", {"Garfield Elementary"})]
)
def test_school_filter_ccspp_funded_in_a_fiscal_year(listing, fy, expected):
    client, _food = listing
    assert _names(client, "crm_school:index", ccspp_in=fy) == expected
