"""Ranking partners at referral time: the pure order criterion by criterion, the candidates read
from the database, and the referral form's suggestions panel (scoped, escaped)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from crm.models import Referral, ServiceCategory
from crm.selectors.referral_partners import (
    Candidate,
    ReferralAsk,
    grade_level,
    rank,
    suggested_partners,
)
from crm.services.merge import partner_merge
from crm.services.partners import partner_update
from tests.factories import make_partner, make_partnership
from tests.hostile import NAMES, assert_html_safe

ASK = ReferralAsk(need="food", school_city="Pasadena", language="ko", grade="3")
BASE = Candidate(id=1, name="Base")


def better(**fields) -> Candidate:
    return Candidate(id=2, name="Zeta (better)", **fields)


def worse(**fields) -> Candidate:
    return Candidate(id=3, name="Alpha (worse)", **fields)


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        # Each criterion alone decides between two otherwise equal partners (the worse one has
        # the earlier name, so the name never decides these).
        ({"serves_need": True}, {}),
        ({"serves_school": True}, {"serves_district": True}),
        ({"serves_district": True}, {}),
        ({"accepting": "accepting"}, {}),
        ({}, {"accepting": "waitlist"}),
        ({"accepting": "waitlist"}, {"accepting": "not_accepting"}),
        ({"languages": ("en", "ko")}, {}),
        ({}, {"languages": ("en", "es")}),
        ({"grades_from": "k", "grades_to": "5"}, {}),
        ({}, {"grades_from": "9", "grades_to": "12"}),
        ({"grades_from": "3"}, {"grades_to": "2"}),
        ({"city": " pasadena "}, {"city": "Glendale"}),
        ({"cost": "free"}, {"cost": "sliding_scale"}),
        ({"cost": "sliding_scale"}, {}),
        ({}, {"cost": "fee"}),
    ],
)
def test_each_criterion_orders_two_partners(good, bad):
    ranked = rank([worse(**bad), better(**good)], ASK)
    assert [s.partner.id for s in ranked] == [2, 3]


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        # Earlier criteria outweigh every later one together.
        (
            {"serves_need": True},
            {
                "serves_school": True,
                "accepting": "accepting",
                "languages": ("ko",),
                "grades_from": "k",
                "grades_to": "12",
                "city": "Pasadena",
                "cost": "free",
            },
        ),
        (
            {"serves_school": True, "accepting": "not_accepting"},
            {"serves_district": True, "accepting": "accepting", "languages": ("ko",)},
        ),
        (
            {"accepting": "accepting", "languages": ("en",)},
            {"accepting": "waitlist", "languages": ("ko",), "cost": "free"},
        ),
        ({"languages": ("ko",), "cost": "fee"}, {"languages": ("es",), "cost": "free"}),
        ({"grades_to": "5", "city": "Glendale"}, {"grades_from": "6", "city": "Pasadena"}),
    ],
)
def test_criteria_count_in_the_order_given(good, bad):
    ranked = rank([worse(**bad), better(**good)], ASK)
    assert [s.partner.id for s in ranked] == [2, 3]


def test_ties_are_broken_by_name_and_limit_cuts():
    ranked = rank([Candidate(id=5, name="beta"), Candidate(id=4, name="Alpha")], ASK, limit=1)
    assert [s.partner.name for s in ranked] == ["Alpha"]


def test_reasons_and_cautions_say_why():
    best = better(
        serves_need=True,
        serves_school=True,
        accepting="accepting",
        languages=("ko",),
        grades_from="k",
        grades_to="5",
        city="Pasadena",
        cost="free",
    )
    (s,) = rank([best], ASK)
    assert s.reasons == (
        "offers this service",
        "serves this school",
        "accepting referrals",
        "speaks Korean",
        "serves this grade",
        "in Pasadena",
        "free",
    )
    assert s.cautions == ()
    (w,) = rank(
        [worse(accepting="waitlist", languages=("es",), grades_from="9", data_sharing=False)], ASK
    )
    assert w.reasons == ()
    assert w.cautions == (
        "waitlist",
        "no Korean listed",
        "serves Grade 9 and up",
        "no current data-sharing agreement",
    )


def test_without_language_or_grade_those_criteria_are_neutral():
    ask = ReferralAsk(need="food")
    ranked = rank([worse(languages=("es",), grades_from="9"), better(cost="free")], ask)
    assert [s.partner.id for s in ranked] == [2, 3]
    assert ranked[1].cautions == ()


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("K", "k"),
        ("tk", "tk"),
        ("Pre-K", "pk"),
        ("03", "3"),
        ("5th", "5"),
        (" 12 ", "12"),
        ("1st", "1"),
        ("13", ""),
        ("", ""),
        ("senior", ""),
    ],
)
def test_grade_level_reads_what_coordinators_type(typed, level):
    assert grade_level(typed) == level


# -- the database side --------------------------------------------------------------------


@pytest.fixture
def food(db):
    return ServiceCategory.objects.create(slug="food-security", name="Food security")


def _details(partner, **data):
    return partner_update(partner=partner, data=data, actor=None, source="system")


@pytest.fixture
def pool(world, food):
    """Partners around Cora's school (Roosevelt High, district East)."""
    far = make_partner("Far Food Bank", service_categories=[food])
    _details(far, accepting_referrals="accepting")
    here = make_partner(
        "Roosevelt Family Pantry", service_categories=[food], schools_served=[world.roosevelt]
    )
    _details(here, accepting_referrals="accepting", languages=["es", "ko"], cost="free")
    full = make_partner("Full Pantry", service_categories=[food], schools_served=[world.roosevelt])
    _details(full, accepting_referrals="not_accepting")
    district = make_partner("East District Mentors", districts_served=[world.east])
    make_partner("Closed Pantry", service_categories=[food], status="inactive")
    make_partner("Someday Pantry", service_categories=[food], status="prospect")
    make_partner("Unrelated Arts", schools_served=[world.garfield])
    return {"far": far, "here": here, "full": full, "district": district}


def test_suggested_partners_reads_the_pool_and_ranks_it(pool, world):
    found = suggested_partners(
        need="food", school=world.roosevelt, language="ko", grade="4", today=dt.date(2025, 1, 1)
    )
    assert [s.partner.name for s in found] == [
        "Roosevelt Family Pantry",
        "Full Pantry",
        "Far Food Bank",
        "East District Mentors",
    ]
    assert found[0].reasons[:4] == (
        "offers this service",
        "serves this school",
        "accepting referrals",
        "speaks Korean",
    )
    assert "no current data-sharing agreement" in found[0].cautions


def test_a_need_without_service_categories_still_lists_local_partners(pool, world):
    found = suggested_partners(need="other", school=world.roosevelt, today=dt.date(2025, 1, 1))
    assert [s.partner.name for s in found] == [
        "Roosevelt Family Pantry",
        "Full Pantry",
        "East District Mentors",
    ]


def test_merged_partners_are_not_suggested(pool, world, food):
    partner_merge(
        survivor=pool["far"], loser=pool["here"], field_choices={}, actor=None, source="system"
    )
    names = [
        s.partner.name
        for s in suggested_partners(need="food", school=world.roosevelt, today=dt.date(2025, 1, 1))
    ]
    assert "Roosevelt Family Pantry" not in names


def _panel(client, **query):
    return client.get(reverse("crm_referral_partner_suggestions"), query)


def test_panel_lists_suggestions_for_the_coordinator(pool, world, client):
    client.force_login(world.cora)
    response = _panel(
        client, school=world.roosevelt.pk, need_category="food", family_language="ko", grade="4"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Roosevelt Family Pantry") < body.index("Far Food Bank")
    assert f'data-choose-partner="{pool["here"].pk}"' in body
    assert "speaks Korean" in body
    assert "Choose the school and the need" in _panel(client).content.decode()


def test_panel_is_scoped_to_the_coordinators_schools(pool, world, client):
    client.force_login(world.omar)
    assert _panel(client, school=world.roosevelt.pk, need_category="food").status_code == 404
    client.force_login(world.pat)
    refused = _panel(client, school=world.roosevelt.pk, need_category="food")
    # Wagtail answers a refused admin request by sending the person to the dashboard.
    assert (refused.status_code, refused.url) == (302, "/admin/")


@pytest.mark.parametrize("name", NAMES)
def test_panel_escapes_partner_names(world, food, client, name):
    make_partner(name, service_categories=[food], schools_served=[world.roosevelt])
    client.force_login(world.cora)
    body = _panel(client, school=world.roosevelt.pk, need_category="food").content.decode()
    assert_html_safe(body, name)


def test_referral_form_offers_the_language_and_saves_without_it(pool, world, client):
    make_partnership(pool["here"], agreement_type="informal")
    client.force_login(world.cora)
    page = client.get(reverse("referral:add")).content.decode()
    assert 'name="family_language"' in page
    assert "crm/js/referral_partners.js" in page
    response = client.post(
        reverse("referral:add"),
        {
            "school": world.roosevelt.pk,
            "partner": pool["here"].pk,
            "student_ref": "ROOS-8001",
            "need_category": "food",
            "family_language": "ko",
            "grade": "4",
            "referred_on": "2024-10-21",
            "contact_preference": "phone",
            "confirm_no_agreement": "on",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get(student_ref="ROOS-8001").partner_id == pool["here"].pk
