"""The admin's partner search: the matcher's and the need search's best, then, while there is
room under RANKED_LIMIT, partners whose name, website, EIN or city contains the text."""

from __future__ import annotations

from crm.models import Partner
from crm.selectors import staff_search
from tests.factories import make_partner


def test_a_website_or_ein_fragment_finds_its_partner(db):
    harbor = make_partner("Harbor Food Bank", website="https://harborpantry.example.org")
    eastside = make_partner("Eastside Family Resource Center", ein="95-1234567")
    make_partner("Valley Tutoring")
    assert staff_search.partner_search_ids("harborpantry") == [harbor.pk]
    assert staff_search.partner_search_ids("1234567") == [eastside.pk]


def test_ranked_matches_come_first_and_the_list_stops_at_the_limit(db, monkeypatch):
    monkeypatch.setattr(staff_search, "RANKED_LIMIT", 3)
    for n in range(5):
        make_partner(f"Harbor Youth Alliance {n}")
    literal_only = make_partner("Pasadena Club", city="Harbortown")
    ids = staff_search.partner_search_ids("harbor")
    assert len(ids) == 3
    assert literal_only.pk not in ids


def test_the_literal_matches_fill_the_room_left(db, monkeypatch):
    monkeypatch.setattr(staff_search, "RANKED_LIMIT", 10)
    named = make_partner("Harbor Food Bank")
    in_city = make_partner("Pasadena Club", city="Harbortown")
    ids = staff_search.partner_search_ids("harbor")
    assert ids[0] == named.pk
    assert in_city.pk in ids


def test_the_search_keeps_within_the_list_it_was_given(db):
    kept = make_partner("Harbor Food Bank", city="Long Beach")
    make_partner("Harbor Youth Alliance", city="Pasadena")
    narrowed = Partner.objects.filter(city="Long Beach")
    assert staff_search.partner_search_ids("harbor", narrowed) == [kept.pk]
