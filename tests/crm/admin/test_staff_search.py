"""The staff search box: fuzzy partners, each kind only for who may see it, referrals only of
the coordinator's schools (field by field), hostile names escaped, and the dashboard's box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.selectors.staff_search import staff_search
from tests.factories import (
    make_contact,
    make_event,
    make_merged,
    make_partner,
    make_partnership,
    make_referral,
)
from tests.hostile import NAMES

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(world):
    club = make_partner("Boys & Girls Club of Watts", city="Watts")
    pantry = make_partner("Bell Gardens Food Bank", city="Bell Gardens")
    make_contact(club, name="Dana Quimby", email="dana@club.example.org", role="Director")
    make_partnership(club, title="Watts after-school pilot")
    make_event(world.roosevelt, title="Family Resource Night")
    mine = make_referral(world.roosevelt, pantry, student_ref="ROOS-4411")
    theirs = make_referral(world.garfield, club, student_ref="GARF-9000")
    return world, club, pantry, mine, theirs


def _listed(page: str) -> str:
    """The result lists of a search page (the query itself is echoed in the box)."""
    return "".join(part.split("</ul>")[0] for part in page.split('<ul class="pb-found">')[1:])


def _ids(result, kind):
    return [row.pk for row in result.found.get(kind) or []]


@pytest.mark.parametrize(
    "text", ["Boys and Girls Club", "boys girls watts", "Boys & Grils Club", "Bell Gardens"]
)
def test_partners_are_found_through_the_matcher(found, text):
    world, club, pantry, *_ = found
    result = staff_search(user=world.pat, text=text)
    assert set(_ids(result, "partners")) & {club.pk, pantry.pk}


def test_merged_away_partners_are_not_offered(found):
    world, club, *_ = found
    loser = make_partner("Boys and Girls Club Watts")
    make_merged(loser, club)
    assert loser.pk not in _ids(
        staff_search(user=world.pat, text="Boys and Girls Club"), "partners"
    )


def test_contacts_schools_partnerships_and_events(found):
    world, club, *_ = found
    assert _ids(staff_search(user=world.pat, text="quimby"), "contacts")
    assert _ids(staff_search(user=world.pat, text="roosevelt"), "schools") == [world.roosevelt.pk]
    assert _ids(staff_search(user=world.pat, text="harbor unified"), "districts") == [world.west.pk]
    assert _ids(staff_search(user=world.pat, text="after-school pilot"), "partnerships")
    assert _ids(staff_search(user=world.lee, text="resource night"), "events")


@pytest.mark.parametrize(
    "who, kinds",
    [
        (
            "ana",
            {"partners", "contacts", "schools", "districts", "partnerships", "events", "referrals"},
        ),
        ("pat", {"partners", "contacts", "schools", "districts", "partnerships", "events"}),
        ("cora", {"partners", "schools", "events", "referrals"}),
        ("lee", {"partners", "contacts", "schools", "districts", "partnerships", "events"}),
    ],
)
def test_each_role_searches_only_what_it_may_view(found, who, kinds):
    world = found[0]
    assert set(staff_search(user=getattr(world, who), text="watts").found) == kinds


@pytest.mark.parametrize(
    "field_value",
    [
        lambda r: r.student_ref,  # the pseudonymous id
        lambda r: r.partner.name,  # its partner
        lambda r: r.school.name,  # its school
        lambda r: r.student_ref.split("-")[1],  # part of the id
    ],
    ids=["student_ref", "partner", "school", "id-part"],
)
def test_a_coordinator_never_finds_another_schools_referral(found, client, field_value):
    world, club, pantry, mine, theirs = found
    text = field_value(theirs)
    result = staff_search(user=world.cora, text=text)
    assert theirs.pk not in _ids(result, "referrals")
    client.force_login(world.cora)
    page = client.get(reverse("crm_search"), {"q": text}).content.decode()
    assert theirs.student_ref not in _listed(page)
    assert "Referrals (" not in page
    assert reverse("referral:inspect", args=[theirs.pk]) not in page
    # Omar coordinates that school: the same words find it for him, and for an administrator.
    assert theirs.pk in _ids(staff_search(user=world.omar, text=text), "referrals")
    assert theirs.pk in _ids(staff_search(user=world.ana, text=text), "referrals")


def test_a_coordinator_finds_her_own_schools_referral(found):
    world, club, pantry, mine, theirs = found
    assert _ids(staff_search(user=world.cora, text="ROOS-4411"), "referrals") == [mine.pk]


def test_partnership_staff_and_leadership_never_get_referral_rows(found, client):
    world, *_, theirs = found
    for user in (world.pat, world.lee):
        client.force_login(user)
        page = client.get(reverse("crm_search"), {"q": "GARF-9000"}).content.decode()
        assert "GARF-9000" not in _listed(page)
        assert reverse("referral:inspect", args=[theirs.pk]) not in page


def test_the_results_page_links_each_record(found, client):
    world, club, *_ = found
    client.force_login(world.pat)
    response = client.get(reverse("crm_search"), {"q": "Boys and Grils Club"})
    assert response.status_code == 200
    assert reverse("crm_partner:inspect", args=[club.pk]) in response.content.decode()


@pytest.mark.parametrize("name", NAMES[:6] + NAMES[12:13])
def test_hostile_names_are_shown_as_text(world, client, name):
    make_partner(name)
    client.force_login(world.ana)
    page = client.get(reverse("crm_search"), {"q": name}).content.decode()
    assert "<script>alert('pb')" not in page
    assert "<img src=x onerror" not in page
    assert "49" not in page.split('id="pb-staff-search"')[1].split("</form>")[0]


def test_the_dashboard_box_searches_records_not_pages(world, client):
    client.force_login(world.pat)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'action="{reverse("crm_search")}"' in page
    assert "Search all pages" not in page


def test_the_sidebar_search_goes_to_the_staff_search(world, client):
    client.force_login(world.cora)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("crm_search") in page


def test_an_empty_query_finds_nothing(found):
    assert staff_search(user=found[0].ana, text="   ").total == 0
