"""Queries compiled once and run again read what the same queryset reads, for every argument."""

from __future__ import annotations

import pytest

from crm.models import School
from crm.selectors.compiled import compiled_rows
from tests.factories import make_school


def _schools(district_id, slugs):
    return School.objects.filter(district_id=district_id, slug__in=slugs).values_list("slug")


@pytest.mark.django_db
def test_compiled_rows_match_the_queryset_for_new_arguments():
    schools = [make_school() for _ in range(3)]
    for school in schools:
        slugs = [school.slug, "absent"]
        got = compiled_rows("test-schools", _schools, school.district_id, slugs)
        assert got == list(_schools(school.district_id, slugs)) == [(school.slug,)]
    assert compiled_rows("test-schools", _schools, schools[0].district_id, []) == []


def _by_fixed_value(district_id):
    # 31000 is the first stand-in number: a fixed value equal to it stays a fixed value.
    return School.objects.filter(district_id=district_id).exclude(pk=31_000).values_list("slug")


@pytest.mark.django_db
def test_a_fixed_value_equal_to_a_stand_in_is_not_taken_for_an_argument():
    from django.db import connection

    from crm.selectors.compiled import _compiled

    school = make_school()
    got = compiled_rows("test-fixed", _by_fixed_value, school.district_id)
    assert got == list(_by_fixed_value(school.district_id)) == [(school.slug,)]
    _, _, template = _compiled[("test-fixed", connection.vendor, (None,))]
    assert ("value", 31_000) in template and ("arg", 0) in template
