"""Fixtures for the public site: the page tree, a clean cache, and a small published world."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from crm.models import EquityFocusGroup, Partner, ServiceCategory


@pytest.fixture(autouse=True)
def _fresh_site_cache():
    # Cached pages and the public search index live per process; each test starts empty.
    from django.core.cache import cache

    from crm.selectors.public import public_partner_index_clear

    cache.clear()
    public_partner_index_clear()
    yield
    cache.clear()
    public_partner_index_clear()


@pytest.fixture
def site_tree(db):
    from cms.models import HomePage
    from cms.setup import setup_site

    setup_site()
    return HomePage.objects.get()


def merge_away(loser: Partner, survivor: Partner) -> None:
    """Mark `loser` as merged into `survivor` (the merge service belongs to another area)."""
    Partner.objects.filter(pk=loser.pk).update(
        merged_into=survivor, published=False, status="merged"
    )


@pytest.fixture
def public_world(world, site_tree):
    """The `world` personas and schools plus published partners, vocabularies and grants."""
    from tests.factories import make_contact, make_grant, make_partner

    food = ServiceCategory.objects.create(slug="food", name="Food", name_es="Alimentos")
    tutoring = ServiceCategory.objects.create(slug="tutoring", name="Tutoring", name_es="Tutoría")
    foster = EquityFocusGroup.objects.create(
        slug="foster-youth", name="Foster youth", name_es="Jóvenes en hogares de crianza"
    )
    world.roosevelt.latitude, world.roosevelt.longitude = Decimal("34.05"), Decimal("-118.24")
    world.roosevelt.street, world.roosevelt.city = "456 Oak Avenue", "Los Angeles"
    world.roosevelt.save()
    world.garfield.latitude, world.garfield.longitude = Decimal("33.77"), Decimal("-118.19")
    world.garfield.save()
    make_grant(world.roosevelt, grant_type="implementation", cohort=1)
    make_grant(world.garfield, grant_type="planning", cohort=2)
    club = make_partner(
        "Boys & Girls Club of the Harbor",
        published=True,
        kind="nonprofit",
        city="San Pedro",
        website="bgch.example.org",
        description="After-school clubs for every child.",
        description_es="Clubes después de la escuela para cada niño.",
        public_email="hello@bgch.example.org",
        public_phone="310-555-0100",
        service_categories=[tutoring],
        equity_focus_groups=[foster],
        districts_served=[world.west],
        schools_served=[world.garfield],
    )
    pantry = make_partner(
        "Harbor Food Pantry",
        published=True,
        kind="faith",
        city="Long Beach",
        description="Weekly groceries for families.",
        service_categories=[food],
        districts_served=[world.east],
        schools_served=[world.roosevelt],
    )
    bank = make_partner(
        "Acme Savings Bank", published=True, kind="business", service_categories=[food]
    )
    hidden = make_partner("Quiet Prospect Org", published=False)
    make_contact(club, name="Dana Public", email="dana@bgch.example.org", is_public=True)
    return SimpleNamespace(
        **vars(world),
        food=food,
        tutoring=tutoring,
        foster=foster,
        club=club,
        pantry=pantry,
        bank=bank,
        hidden=hidden,
    )
