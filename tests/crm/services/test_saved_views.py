"""Saved views: names and query strings are hostile, only the owner changes a view."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import AuditEntry, SavedView
from crm.services.saved_views import saved_view_delete, saved_view_rename, saved_view_save
from tests.hostile import NAMES

ADMIN = "admin"


def test_save_keeps_only_known_parameters_re_encoded(world):
    view = saved_view_save(
        list_key="partners",
        name="  Published   food  ",
        query="?published=true&q=food+bank&p=3&ordering=-name&kind=",
        actor=world.pat,
        source=ADMIN,
    )
    assert view.name == "Published food"
    assert view.query == "published=true&q=food+bank&ordering=-name"
    assert AuditEntry.objects.filter(action="savedview.create", object_id=str(view.pk)).exists()


def test_the_same_name_replaces_the_query(world):
    first = saved_view_save(
        list_key="partners", name="Mine", query="kind=business", actor=world.pat, source=ADMIN
    )
    again = saved_view_save(
        list_key="partners", name="Mine", query="status=active", actor=world.pat, source=ADMIN
    )
    assert again.pk == first.pk and again.query == "status=active"
    assert SavedView.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "evil=1",
        "q=%3Cscript%3E&next=https://evil.example",
        "ordering=name%3Bdrop",
        "ordering=" + "a" * 80,
        "q=" + "x" * 201,
        "q=bell%07",
        "export=csv",
    ],
)
def test_hostile_query_strings_are_refused(world, query):
    with pytest.raises(ValidationError):
        saved_view_save(list_key="partners", name="x", query=query, actor=world.pat, source=ADMIN)
    assert not SavedView.objects.exists()


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_are_kept_as_text_or_refused(world, name):
    try:
        view = saved_view_save(
            list_key="partners", name=name, query="", actor=world.pat, source=ADMIN
        )
    except ValidationError:
        assert not SavedView.objects.exists()
        return
    assert view.name == " ".join(name.split())


def test_unknown_list_and_lists_the_person_cannot_read_are_refused(world):
    with pytest.raises(ValidationError):
        saved_view_save(list_key="users", name="x", query="", actor=world.ana, source=ADMIN)
    # Partnership staff see no referrals, so they keep no views of that list.
    with pytest.raises(PermissionDenied):
        saved_view_save(list_key="referrals", name="x", query="", actor=world.pat, source=ADMIN)


def test_only_the_owner_renames_or_deletes(world):
    view = saved_view_save(
        list_key="events", name="Workshops", query="kind=workshop", actor=world.cora, source=ADMIN
    )
    with pytest.raises(PermissionDenied):
        saved_view_rename(saved_view=view, name="Mine now", actor=world.omar, source=ADMIN)
    with pytest.raises(PermissionDenied):
        saved_view_delete(saved_view=view, actor=world.ana, source=ADMIN)

    saved_view_rename(saved_view=view, name="My workshops", actor=world.cora, source=ADMIN)
    assert SavedView.objects.get().name == "My workshops"
    saved_view_delete(saved_view=view, actor=world.cora, source=ADMIN)
    assert not SavedView.objects.exists()
    assert AuditEntry.objects.filter(action="savedview.delete").exists()


def test_rename_onto_another_of_ones_views_is_refused(world):
    saved_view_save(list_key="partners", name="A", query="", actor=world.pat, source=ADMIN)
    b = saved_view_save(list_key="partners", name="B", query="", actor=world.pat, source=ADMIN)
    with pytest.raises(ValidationError):
        saved_view_rename(saved_view=b, name="A", actor=world.pat, source=ADMIN)


def test_a_date_range_filter_is_saved_by_its_from_and_to_parameters():
    from crm.services.saved_views import saved_view_query_clean

    query = "end_date_from=2026-12-01&end_date_to=2027-01-31&mine=true"
    assert saved_view_query_clean("partnerships", query) == query
