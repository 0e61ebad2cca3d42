"""The partner directory: search, filters, pagination, redirects for merged partners, 404s,
caching that follows CRM writes, and query counts that do not grow with the partner count."""

from __future__ import annotations

import re

import pytest

from cms.models import PartnerDirectoryPage
from crm.selectors.public import public_count
from crm.services.partners import partner_update
from tests.factories import make_partner
from tests.site.conftest import merge_away


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


@pytest.mark.parametrize(
    ("n", "shown"), [(0, 0), (1, None), (10, None), (11, 11), (2500, 2500), (None, 0)]
)
def test_public_count_suppresses_one_to_ten(n, shown):
    count = public_count(n)
    assert count.value == shown
    assert count.suppressed is (shown is None)


@pytest.mark.parametrize(
    "query",
    ["boys and girls", "Boys & Girls", "boys n girls club", "boys and grils", "harbor club"],
)
def test_search_uses_the_matcher_normalisation(client, public_world, query):
    response = client.get("/partners/", {"q": query})
    assert "Boys &amp; Girls Club of the Harbor" in names(response)


def test_search_never_finds_unpublished_partners(client, public_world):
    response = client.get("/partners/", {"q": "Quiet Prospect"})
    assert names(response) == []
    assert "0 partner organizations" in response.content.decode()
    assert "Quiet Prospect Org" not in response.content.decode()


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("category", "food", {"Harbor Food Pantry", "Acme Savings Bank"}),
        ("kind", "business", {"Acme Savings Bank"}),
        ("district", "west", {"Boys &amp; Girls Club of the Harbor"}),
        ("school", "roosevelt", {"Harbor Food Pantry"}),
        ("focus", "foster-youth", {"Boys &amp; Girls Club of the Harbor"}),
    ],
)
def test_filters(client, public_world, param, value, expected):
    if param == "district":
        value = str(getattr(public_world, value).pk)
    if param == "school":
        value = getattr(public_world, value).slug
    assert set(names(client.get("/partners/", {param: value}))) == expected


def test_filters_combine_with_search_and_bad_values_show_nothing(client, public_world):
    assert names(client.get("/partners/", {"q": "harbor", "category": "food"})) == [
        "Harbor Food Pantry"
    ]
    assert names(client.get("/partners/", {"district": "not-a-number"})) == []
    assert client.get("/partners/", {"page": "zzz"}).status_code == 200


def test_unpublished_partners_are_not_listed(client, public_world):
    listed = names(client.get("/partners/"))
    assert "Quiet Prospect Org" not in listed
    assert len(listed) == 3


def test_pagination_keeps_filters_in_shareable_links(client, public_world):
    directory = PartnerDirectoryPage.objects.get()
    directory.per_page = 2
    directory.save_revision().publish()
    first = client.get("/partners/", {"category": "food"})
    assert names(first) == ["Acme Savings Bank", "Harbor Food Pantry"]
    for i in range(3):
        make_partner(f"Zeta Pantry {i}", published=True, service_categories=[public_world.food])
    first = client.get("/partners/", {"category": "food"}).content.decode()
    assert 'href="?category=food&amp;page=2"' in first
    second = client.get("/partners/?category=food&page=2")
    assert names(second) == ["Zeta Pantry 0", "Zeta Pantry 1"]
    third = client.get("/partners/?category=food&page=99")
    assert names(third) == ["Zeta Pantry 2"]


def test_pages_together_list_every_published_partner_once_in_name_order(client, public_world):
    directory = PartnerDirectoryPage.objects.get()
    directory.per_page = 2
    directory.save_revision().publish()
    for name in ("Zeta Pantry", "Zeta Pantry", "Alpha Tutors"):
        make_partner(name, published=True)
    pages = [names(client.get("/partners/", {"page": n})) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 2]
    listed = [name for page in pages for name in page]
    assert listed == sorted(listed)
    assert listed.count("Zeta Pantry") == 2 and "Quiet Prospect Org" not in listed


def test_merged_partner_url_answers_301_to_the_survivor(client, public_world):
    loser = make_partner("Boys and Girls Club Harbor Branch", published=False)
    merge_away(loser, public_world.club)
    response = client.get(f"/partners/{loser.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/partners/{public_world.club.slug}/"
    es = client.get(f"/es/partners/{loser.slug}/")
    assert es.status_code == 301 and es["Location"] == f"/es/partners/{public_world.club.slug}/"


def test_merged_into_an_unpublished_partner_is_404(client, public_world):
    loser = make_partner("Quiet Prospect Org West", published=False)
    merge_away(loser, public_world.hidden)
    assert client.get(f"/partners/{loser.slug}/").status_code == 404


@pytest.mark.parametrize("slug", ["quiet-prospect-org", "does-not-exist"])
def test_unpublished_or_unknown_partner_is_404(client, public_world, slug):
    response = client.get(f"/partners/{slug}/")
    assert response.status_code == 404
    assert "Quiet Prospect" not in response.content.decode()


def test_cached_pages_follow_crm_writes(client, public_world):
    assert "Harbor Food Pantry" in names(client.get("/partners/"))
    partner_update(
        partner=public_world.pantry,
        actor=None,
        source="command",
        data={"name": "Harbor Community Pantry"},
    )
    listed = names(client.get("/partners/"))
    assert "Harbor Community Pantry" in listed and "Harbor Food Pantry" not in listed
    partner_update(
        partner=public_world.bank, actor=None, source="command", data={"published": False}
    )
    assert "Acme Savings Bank" not in names(client.get("/partners/"))
    assert client.get(f"/partners/{public_world.bank.slug}/").status_code == 404


def _grow(world, n: int) -> None:
    for i in range(n):
        make_partner(
            f"Growth Partner {i:03d}",
            published=True,
            service_categories=[world.food, world.tutoring],
            schools_served=[world.roosevelt, world.garfield],
            districts_served=[world.east],
        )


@pytest.mark.parametrize("extra", [2, 47])
@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/partners/", 10),
        # A search after a change also builds the need index: two reads, whatever the size.
        ("/partners/?category=food&q=growth", 14),
        ("/partners/{club}/", 12),
        ("/community-schools/", 10),
        ("/community-schools/{roosevelt}/", 11),
        ("/", 12),
    ],
)
def test_query_counts_do_not_grow_with_partners(
    client, public_world, django_assert_max_num_queries, extra, url, limit
):
    """5 and 50 partners: the same ceiling with CRM data uncached (the site chrome and Wagtail's
    site lookup stay warm, as on any running site)."""
    from crm.data_version import crm_data_changed
    from crm.selectors.public import public_partner_index_clear

    _grow(public_world, extra)
    url = url.format(club=public_world.club.slug, roosevelt=public_world.roosevelt.slug)
    assert client.get(url).status_code == 200
    crm_data_changed()
    public_partner_index_clear()
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def _school_choices(response) -> list[str]:
    html = response.content.decode()
    select = re.search(r'<select id="f-school".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]+)"', select)


def test_schools_are_offered_a_district_at_a_time(client, public_world):
    from tests.factories import make_school

    make_school(district=public_world.east, name="Unserved Middle School")
    first = client.get("/partners/")
    assert _school_choices(first) == []
    assert "Choose a district to list its schools." in first.content.decode()
    east = client.get("/partners/", {"district": public_world.east.pk})
    assert _school_choices(east) == [public_world.roosevelt.slug]
    assert "Choose a district" not in east.content.decode()
    spanish = client.get("/es/partners/").content.decode()
    assert "Elija un distrito para ver sus escuelas." in spanish


def test_a_chosen_school_stays_chosen_without_its_district(client, public_world):
    slug = public_world.roosevelt.slug
    response = client.get("/partners/", {"school": slug})
    assert _school_choices(response) == [slug]
    assert f'<option value="{slug}" selected>' in response.content.decode()
    assert names(response) == ["Harbor Food Pantry"]
