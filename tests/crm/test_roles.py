"""Role questions read a user's groups once per user object, and notice when they change."""

from __future__ import annotations

from django.contrib.auth.models import Group

from crm.roles import ADMINISTRATORS, LEADERSHIP, has_role, is_administrator


def test_roles_are_read_once_per_user_object(world, django_assert_num_queries):
    pat = world.pat
    has_role(pat, LEADERSHIP)
    with django_assert_num_queries(0):
        assert not is_administrator(pat)
        assert not has_role(pat, LEADERSHIP)


def test_a_group_change_is_seen_by_the_same_user_object(world):
    pat = world.pat
    assert not is_administrator(pat)
    pat.groups.add(Group.objects.get(name=ADMINISTRATORS))
    assert is_administrator(pat)
    pat.groups.clear()
    assert not has_role(pat, ADMINISTRATORS)
