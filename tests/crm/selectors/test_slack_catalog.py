"""The typeahead's throttled freshness check and the pickers' small lookups."""

from __future__ import annotations

from crm.selectors.catalog import partner_typeahead, place_suggest, places_by_keys
from crm.selectors.partners import partner_index_clear
from tests.factories import make_partner


def test_slack_typeahead_reuses_a_checked_index_without_queries(db, django_assert_num_queries):
    make_partner("Harbor Community Food Bank")
    partner_index_clear()
    assert [m.name for m in partner_typeahead(text="harb")] == ["Harbor Community Food Bank"]
    with django_assert_num_queries(0):
        assert len(partner_typeahead(text="harbor comm")) == 1


def test_slack_typeahead_sees_partners_after_the_index_is_cleared(db):
    make_partner("Harbor Community Food Bank")
    partner_index_clear()
    partner_typeahead(text="harb")
    make_partner("Harbor Youth Sports")
    partner_index_clear()
    assert len(partner_typeahead(text="harb")) == 2


def test_slack_place_lookups(world):
    keys = [key for key, _ in place_suggest("east valley")]
    assert keys == [f"d:{world.east.pk}"]
    districts, schools = places_by_keys([f"d:{world.east.pk}", f"s:{world.garfield.pk}", "x:y"])
    assert districts == [world.east] and schools == [world.garfield]
    assert place_suggest("r") == []
