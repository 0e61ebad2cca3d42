"""A list ordered by ranked ids comes back in exactly that order, whatever the ids' digits."""

from __future__ import annotations

import random

import pytest

from crm.models import Partner
from crm.selectors.staff_search import in_rank_order
from tests.factories import make_partner


@pytest.mark.django_db
def test_rows_come_in_the_order_of_the_ids():
    ids = [make_partner(f"Ranked Partner {n}").pk for n in range(12)]
    # Ids such as 1 and 11 or 2 and 12 must not be taken for one another.
    for seed in range(3):
        wanted = ids[:]
        random.Random(seed).shuffle(wanted)
        got = list(in_rank_order(Partner.objects.all(), wanted).values_list("pk", flat=True))
        assert got == wanted
    assert list(in_rank_order(Partner.objects.all(), wanted[:3])) == [
        Partner.objects.get(pk=pk) for pk in wanted[:3]
    ]
    assert not in_rank_order(Partner.objects.all(), []).exists()
