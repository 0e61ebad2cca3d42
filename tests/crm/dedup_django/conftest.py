"""Fixtures for the Django side of dedup: a partner pair with every kind of related row."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from crm.models import (
    Contact,
    DuplicateCandidate,
    EventPartner,
    Funding,
    Partner,
    Partnership,
    Referral,
    Touchpoint,
)
from tests.factories import (
    make_contact,
    make_event,
    make_focus_group,
    make_funding,
    make_partner,
    make_partnership,
    make_referral,
    make_service_category,
    make_touchpoint,
)

# Every table a merge may touch, with the columns that legitimately change on their own.
DUMPED = {
    "partner": (Partner, {"updated_at"}),
    "contact": (Contact, set()),
    "partnership": (Partnership, set()),
    "touchpoint": (Touchpoint, set()),
    "funding": (Funding, set()),
    "referral": (Referral, set()),
    "eventpartner": (EventPartner, set()),
    "duplicatecandidate": (DuplicateCandidate, set()),
    "schools_served": (Partner.schools_served.through, set()),
    "districts_served": (Partner.districts_served.through, set()),
    "service_categories": (Partner.service_categories.through, set()),
    "equity_focus_groups": (Partner.equity_focus_groups.through, set()),
}


def dump_rows() -> dict[str, list[dict]]:
    """Every row of every table a merge touches, as plain dicts, in id order."""
    out = {}
    for key, (model, skip) in DUMPED.items():
        rows = model.objects.order_by("pk").values()
        out[key] = [{k: v for k, v in row.items() if k not in skip} for row in rows]
    return out


@pytest.fixture
def dump():
    return dump_rows


def rows_of(partner: Partner) -> dict[str, set[int]]:
    """Ids of the rows that belong to a partner, per relation."""
    return {
        "contacts": set(partner.contacts.values_list("pk", flat=True)),
        "partnerships": set(partner.partnerships.values_list("pk", flat=True)),
        "touchpoints": set(partner.touchpoints.values_list("pk", flat=True)),
        "funding": set(partner.funding.values_list("pk", flat=True)),
        "referrals": set(partner.referrals.values_list("pk", flat=True)),
        "events": set(partner.event_links.values_list("event_id", flat=True)),
        "schools_served": set(partner.schools_served.values_list("pk", flat=True)),
        "districts_served": set(partner.districts_served.values_list("pk", flat=True)),
        "service_categories": set(partner.service_categories.values_list("pk", flat=True)),
        "equity_focus_groups": set(partner.equity_focus_groups.values_list("pk", flat=True)),
    }


@pytest.fixture
def pair(world):
    """Two records of one organization, each with its own related rows and some in common.

    Both attend the shared event and both serve Roosevelt: the unique-constraint collisions.
    """
    food = make_service_category("Food", slug="food")
    health = make_service_category("Health", slug="health")
    foster = make_focus_group()
    keep = make_partner(
        "Boys & Girls Club of Burbank",
        website="bgcburbank.org",
        phone="818-555-0100",
        aliases=["BGC Burbank"],
        schools_served=[world.roosevelt],
        districts_served=[world.east],
        service_categories=[food],
    )
    dupe = make_partner(
        "Boys and Girls Club of Burbank, Inc.",
        website="https://www.bgcburbank.org",
        ein="95-1234567",
        street="300 E Olive Ave",
        aliases=["B&GC Burbank"],
        schools_served=[world.roosevelt, world.garfield],
        districts_served=[world.west],
        service_categories=[food, health],
        equity_focus_groups=[foster],
    )
    shared = make_event(world.roosevelt, title="Resource fair", partners=[keep, dupe])
    own = make_event(world.garfield, title="Family night", partners=[dupe])
    for partner in (keep, dupe):
        make_contact(partner, name=f"Contact of {partner.pk}")
        make_partnership(partner)
        make_touchpoint(partner)
        make_funding(partner=partner)
        make_referral(world.roosevelt, partner)
    make_contact(dupe, name="Second contact")
    make_touchpoint(dupe, occurred_on=dt.date(2025, 1, 5))
    return SimpleNamespace(keep=keep, dupe=dupe, shared=shared, own=own, food=food, health=health)
