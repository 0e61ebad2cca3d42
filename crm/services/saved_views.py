"""Saved views of admin lists: save (or replace) a named query, rename, delete; owner only."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from crm.models import SavedView
from crm.selectors.saved_views import LISTS
from crm.services.base import audit_record, check_channel, require_perm

MAX_PER_LIST = 50
MAX_VALUE = 200
# The page number is where the person happened to be, not part of what they want to see again.
IGNORED_PARAMS = frozenset({"p"})
ORDERING = re.compile(r"-?[a-z][a-z0-9_]{0,60}")


def _printable(text: str) -> bool:
    return not any(unicodedata.category(ch).startswith("C") for ch in text)


def saved_view_name_clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the view a name."})
    if len(name) > 80:
        raise ValidationError({"name": "A view's name is at most 80 characters."})
    if not _printable(name):
        raise ValidationError({"name": "A view's name cannot hold control characters."})
    return name


def saved_view_query_clean(list_key: str, query: str) -> str:
    """The query re-encoded from the list's known parameters; anything else is refused."""
    known = LISTS[list_key].params
    try:
        pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=True, max_num_fields=60)
    except ValueError as exc:
        raise ValidationError({"query": "That list address has too many parts."}) from exc
    kept = []
    for key, value in pairs:
        if key in IGNORED_PARAMS or value == "":
            continue
        if key not in known:
            raise ValidationError({"query": f"This list has no filter called “{key[:40]}”."})
        if len(value) > MAX_VALUE or not _printable(value):
            raise ValidationError({"query": f"The value of “{key}” is not one this list takes."})
        if key == "ordering" and not ORDERING.fullmatch(value):
            raise ValidationError({"query": "That ordering is not one this list takes."})
        kept.append((key, value))
    encoded = urlencode(kept)
    if len(encoded) > SavedView._meta.get_field("query").max_length:
        raise ValidationError({"query": "That view holds too many filters to save."})
    return encoded


def _own(saved_view: SavedView, actor) -> SavedView:
    if actor is None or saved_view.user_id != actor.pk:
        raise PermissionDenied("Only its owner can change a saved view.")
    return saved_view


@transaction.atomic
def saved_view_save(*, list_key: str, name: str, query: str, actor, source: str) -> SavedView:
    """Save the actor's view of a list under a name; the same name replaces that view's query."""
    check_channel(source)
    if list_key not in LISTS:
        raise ValidationError({"list_key": "Views cannot be saved for this list."})
    require_perm(actor, f"crm.view_{LISTS[list_key].model}")
    name = saved_view_name_clean(name)
    query = saved_view_query_clean(list_key, query)
    mine = SavedView.objects.select_for_update().filter(user=actor, list_key=list_key)
    view = mine.filter(name=name).first()
    if view is None:
        if mine.count() >= MAX_PER_LIST:
            raise ValidationError(f"You can keep at most {MAX_PER_LIST} views of one list.")
        view = SavedView.objects.create(user=actor, list_key=list_key, name=name, query=query)
        action, changes = "savedview.create", {"list": list_key, "name": name, "query": query}
    else:
        action, changes = "savedview.update", {"query": [view.query, query]}
        view.query = query
        view.save(update_fields=["query"])
    audit_record(actor=actor, source=source, action=action, instance=view, changes=changes)
    return view


@transaction.atomic
def saved_view_rename(*, saved_view: SavedView, name: str, actor, source: str) -> SavedView:
    check_channel(source)
    view = _own(SavedView.objects.select_for_update().get(pk=saved_view.pk), actor)
    name = saved_view_name_clean(name)
    if name == view.name:
        return view
    taken = SavedView.objects.filter(user=actor, list_key=view.list_key, name=name)
    if taken.exclude(pk=view.pk).exists():
        raise ValidationError({"name": "You already have a view of this list with that name."})
    changes = {"name": [view.name, name]}
    view.name = name
    view.save(update_fields=["name"])
    audit_record(
        actor=actor, source=source, action="savedview.update", instance=view, changes=changes
    )
    return view


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, actor, source: str) -> None:
    check_channel(source)
    view = _own(SavedView.objects.select_for_update().get(pk=saved_view.pk), actor)
    audit_record(
        actor=actor,
        source=source,
        action="savedview.delete",
        instance=view,
        changes={"list": view.list_key, "name": view.name, "query": view.query},
    )
    view.delete()
