"""The admin partner list's search finds what the public directory finds (and unpublished
partners too): the matcher's names ("and" for "&", typos) and the directory's search by need."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.selectors.public import DirectoryFilters, public_directory
from tests.factories import make_merged, make_partner, make_service_category

pytestmark = pytest.mark.django_db

QUERIES = ["Boys and Girls Club", "Bell Gardens Food Bank", "East Los Angeles"]


@pytest.fixture
def demo_like(world):
    """Names as the demo writes them (crm/demo/names.py), published and not."""
    food = make_service_category("Food security", slug="food-security")
    published = [
        ("Boys & Girls Club of Carson", {}),
        ("Boys & Girls Club of Compton", {}),
        ("Bell Gardens Community Food Bank", {"service_categories": [food]}),
        ("Watts Community Food Bank", {"service_categories": [food]}),
        ("East LA Adult School", {"description": "Classes for adults in East Los Angeles."}),
        ("East LA Legal Aid Clinic", {}),
        ("Harbor Tutoring Collective", {}),
    ]
    made = {name: make_partner(name, published=True, **extra) for name, extra in published}
    made["Boys & Girls Club of Watts"] = make_partner("Boys & Girls Club of Watts")
    made["Bell Gardens Parent Alliance"] = make_partner("Bell Gardens Parent Alliance")
    made["East LA Housing Justice Project"] = make_partner("East LA Housing Justice Project")
    return world, made


def _listed(client, query: str) -> str:
    response = client.get(reverse("crm_partner:index"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", QUERIES)
def test_the_list_finds_what_the_public_directory_finds(demo_like, client, query):
    world, made = demo_like
    public = {row["name"] for row in public_directory(DirectoryFilters(q=query)).rows}
    assert public, "the directory finds something for this query"
    client.force_login(world.pat)
    page = _listed(client, query)
    for name in public:
        assert reverse("crm_partner:edit", args=[made[name].pk]) in page, name


@pytest.mark.parametrize(
    "query, unpublished",
    [
        ("Boys and Girls Club", "Boys & Girls Club of Watts"),
        ("Bell Gardens", "Bell Gardens Parent Alliance"),
        ("East LA Housing", "East LA Housing Justice Project"),
        ("Bell Gardns Parent Aliance", "Bell Gardens Parent Alliance"),
    ],
)
def test_the_list_also_finds_unpublished_partners(demo_like, client, query, unpublished):
    world, made = demo_like
    client.force_login(world.pat)
    assert reverse("crm_partner:edit", args=[made[unpublished].pk]) in _listed(client, query)


def test_the_best_match_comes_first(demo_like, client):
    world, made = demo_like
    client.force_login(world.pat)
    page = _listed(client, "Bell Gardens Food Bank")
    first = page.index(
        reverse("crm_partner:edit", args=[made["Bell Gardens Community Food Bank"].pk])
    )
    other = page.index(reverse("crm_partner:edit", args=[made["Watts Community Food Bank"].pk]))
    assert first < other


def test_unrelated_partners_are_left_out(demo_like, client):
    world, made = demo_like
    client.force_login(world.pat)
    page = _listed(client, "Boys and Girls Club")
    assert reverse("crm_partner:edit", args=[made["Harbor Tutoring Collective"].pk]) not in page


def test_a_merged_away_partner_is_still_found_by_its_name(demo_like, client):
    world, made = demo_like
    loser = make_partner("Boys and Girls Club Carson (old record)")
    make_merged(loser, made["Boys & Girls Club of Carson"])
    client.force_login(world.pat)
    assert reverse("crm_partner:edit", args=[loser.pk]) in _listed(client, "Carson (old")


def test_the_list_search_keeps_the_filters(demo_like, client):
    world, made = demo_like
    client.force_login(world.pat)
    response = client.get(
        reverse("crm_partner:index"), {"q": "Boys and Girls", "published": "true"}
    )
    page = response.content.decode()
    assert reverse("crm_partner:edit", args=[made["Boys & Girls Club of Carson"].pk]) in page
    assert reverse("crm_partner:edit", args=[made["Boys & Girls Club of Watts"].pk]) not in page
