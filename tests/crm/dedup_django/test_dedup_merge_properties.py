"""Property test of partner_merge: random partners with random related rows.

Nothing is lost, only the loser is retired, unchosen fields are untouched, and undo puts
every row back as it was. Each example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.models import Partner, PartnerKind, PartnerStatus
from crm.services.merge import CHOOSABLE_FIELDS, LOSER, partner_merge, partner_merge_undo
from tests.crm.dedup_django.conftest import dump_rows, rows_of
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

SYSTEM = {"actor": None, "source": "command"}
WORDS = ["Harbor", "Youth", "Arts", "Center", "Food", "Bank", "Club", "Inc.", "Ctr", "Familias"]

text = st.sampled_from(["", "a", "B", "same", "x-1", "Olive Ave 300"])
partner_fields = st.fixed_dictionaries(
    {
        "name": st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
        "aliases": st.lists(st.sampled_from(WORDS), max_size=2),
        "kind": st.sampled_from([k.value for k in PartnerKind]),
        "status": st.sampled_from(
            [PartnerStatus.PROSPECT, PartnerStatus.ACTIVE, PartnerStatus.INACTIVE]
        ),
        "website": st.sampled_from(["", "harbor.org", "https://www.harbor.org/x", "food.org"]),
        "ein": st.sampled_from(["", "95-1234567", "12-3456789"]),
        "phone": st.sampled_from(["", "818-555-0100", "(818) 555 0100"]),
        "street": text,
        "city": text,
        "zip": st.sampled_from(["", "91502", "90012"]),
        "description": text,
        "public_email": st.sampled_from(["", "info@harbor.org"]),
        "published": st.booleans(),
        "internal_notes": text,
    }
)
related = st.fixed_dictionaries(
    {
        "contacts": st.integers(0, 2),
        "partnerships": st.integers(0, 2),
        "touchpoints": st.integers(0, 2),
        "funding": st.integers(0, 1),
        "referrals": st.integers(0, 2),
        "events": st.sets(st.integers(0, 2)),
        "schools": st.sets(st.sampled_from(["roosevelt", "garfield"])),
        "districts": st.sets(st.sampled_from(["east", "west"])),
        "categories": st.sets(st.integers(0, 1)),
        "groups": st.sets(st.integers(0, 1)),
    }
)
side = st.sampled_from(["survivor", "loser"])
choices = st.dictionaries(st.sampled_from(CHOOSABLE_FIELDS), side, max_size=len(CHOOSABLE_FIELDS))


def build(world, fields: dict, rows: dict, events, categories, groups) -> Partner:
    partner = make_partner(
        **fields,
        schools_served=[getattr(world, s) for s in rows["schools"]],
        districts_served=[getattr(world, d) for d in rows["districts"]],
        service_categories=[categories[i] for i in rows["categories"]],
        equity_focus_groups=[groups[i] for i in rows["groups"]],
    )
    for n in range(rows["contacts"]):
        make_contact(partner, name=f"Person {n}")
    for n in range(rows["partnerships"]):
        make_partnership(partner, start_date=dt.date(2023 + n, 9, 1))
    for _ in range(rows["touchpoints"]):
        make_touchpoint(partner)
    for _ in range(rows["funding"]):
        make_funding(partner=partner)
    for _ in range(rows["referrals"]):
        make_referral(world.roosevelt, partner)
    for i in rows["events"]:
        events[i].partners.add(partner)
    return partner


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    survivor_fields=partner_fields,
    loser_fields=partner_fields,
    bystander_rows=related,
    survivor_rows=related,
    loser_rows=related,
    field_choices=choices,
)
def test_merge_loses_nothing_and_undo_restores_everything(
    world, survivor_fields, loser_fields, bystander_rows, survivor_rows, loser_rows, field_choices
):
    with transaction.atomic():
        categories = [
            make_service_category("Food", slug="food"),
            make_service_category("Arts", slug="arts"),
        ]
        groups = [
            make_focus_group("Foster youth", slug="foster"),
            make_focus_group("EL", slug="el"),
        ]
        events = [make_event(world.roosevelt, title=f"Event {i}") for i in range(3)]
        bystander = build(
            world, {"name": "Bystander Org"}, bystander_rows, events, categories, groups
        )
        survivor = build(world, survivor_fields, survivor_rows, events, categories, groups)
        loser = build(world, loser_fields, loser_rows, events, categories, groups)
        before = dump_rows()
        originals = {p.pk: Partner.objects.get(pk=p.pk) for p in (bystander, survivor, loser)}
        owned = {p.pk: rows_of(p) for p in (bystander, survivor, loser)}

        partner_merge(survivor=survivor, loser=loser, field_choices=field_choices, **SYSTEM)

        after = {p.pk: Partner.objects.get(pk=p.pk) for p in (bystander, survivor, loser)}
        # Nothing lost: the survivor owns the union, the loser nothing, the bystander the same.
        now = rows_of(after[survivor.pk])
        for relation in now:
            assert now[relation] == owned[survivor.pk][relation] | owned[loser.pk][relation]
        assert not any(rows_of(after[loser.pk]).values())
        assert rows_of(after[bystander.pk]) == owned[bystander.pk]
        # Only the loser is retired.
        assert after[loser.pk].merged_into_id == survivor.pk
        assert after[loser.pk].status == PartnerStatus.MERGED and not after[loser.pk].published
        assert after[survivor.pk].merged_into_id is None
        assert after[bystander.pk].merged_into_id is None
        # Chosen fields come from the loser, the others stay the survivor's.
        for field in CHOOSABLE_FIELDS:
            source = loser if field_choices.get(field) == LOSER else survivor
            assert getattr(after[survivor.pk], field) == getattr(originals[source.pk], field)
        for field in set(CHOOSABLE_FIELDS) - {"status", "published"}:
            assert getattr(after[loser.pk], field) == getattr(originals[loser.pk], field)
        # Every name either partner had is still findable on the survivor.
        kept = {a.casefold() for a in after[survivor.pk].aliases}
        kept.add(after[survivor.pk].name.casefold())
        for original in (originals[survivor.pk], originals[loser.pk]):
            names = [original.name, *original.aliases]
            assert {" ".join(n.split()).casefold() for n in names} <= kept

        record = after[survivor.pk].merges_received.get()
        partner_merge_undo(merge=record, **SYSTEM)
        assert dump_rows() == before
        transaction.set_rollback(True)
