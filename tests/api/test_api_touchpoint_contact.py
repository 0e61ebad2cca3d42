"""API touchpoints carry whom they were with; the service refuses another partner's contact."""

from __future__ import annotations

import pytest

from tests.factories import make_contact, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world):
    club = make_partner("Boys & Girls Club of Watts")
    pantry = make_partner("Bell Gardens Food Bank")
    return club, make_contact(club, name="Dana Quimby"), pantry, make_contact(pantry, name="Pat P")


def test_the_api_takes_and_shows_the_contact(world, two, api):
    club, dana, pantry, other = two
    made = api.pat.post(
        "/api/v1/touchpoints/",
        {
            "partner": club.pk,
            "contact": dana.pk,
            "occurred_on": "2026-01-05",
            "channel": "call",
            "summary": "By the API.",
        },
    )
    assert made.status_code == 201, made.json()
    assert made.json()["contact"] == dana.pk
    refused = api.pat.post(
        "/api/v1/touchpoints/",
        {
            "partner": club.pk,
            "contact": other.pk,
            "occurred_on": "2026-01-05",
            "channel": "call",
            "summary": "Wrong contact.",
        },
    )
    assert refused.status_code == 400
