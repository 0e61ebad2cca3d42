"""Small lookups that pickers need: partner names and statuses, places, service categories."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from crm.dedup.score import Match
from crm.models import District, Partner, School, ServiceCategory
from crm.selectors.matcher_index import partner_index_held
from crm.selectors.partners import partner_suggest

# How long the typeahead trusts the cached index without re-reading the partners' stamp.
TYPEAHEAD_MAX_AGE = 10.0
_checked: dict = {"at": float("-inf"), "index": None}
_checked_lock = threading.Lock()


def partner_typeahead(*, text: str, limit: int = 10) -> list[Match]:
    """partner_suggest for keystrokes: the freshness check runs at most every few seconds.

    The check counts every live partner (tens of ms at 100k rows), too slow to repeat per
    keystroke. Writes in this process update the index on commit, so they show at once;
    writes in other processes show within TYPEAHEAD_MAX_AGE seconds. The duplicate check on
    save does not use this shortcut.
    """
    cached = partner_index_held()
    now = time.monotonic()
    with _checked_lock:
        fresh = (
            cached is not None
            and cached is _checked["index"]
            and now - _checked["at"] < TYPEAHEAD_MAX_AGE
        )
    if fresh:
        return cached.suggest(text, limit=limit)
    found = partner_suggest(text=text, limit=limit)
    with _checked_lock:
        _checked["at"], _checked["index"] = now, partner_index_held()
    return found


def partner_briefs(ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
    """{id: (name, status, merged_into_id)} for the given partners, in one query."""
    rows = Partner.objects.filter(pk__in=list(ids)).values_list(
        "pk", "name", "status", "merged_into_id"
    )
    return {pk: (name, status, merged) for pk, name, status, merged in rows}


def live_partners(ids: Iterable[int]) -> list[Partner]:
    """Partners by id, following nothing: merged-away records are left out."""
    return list(Partner.objects.live().filter(pk__in=list(ids)))


# The partner fields Slack's edit form shows: the ones the duplicate check compares, and city.
EDIT_FIELDS = ("name", "aliases", "website", "ein", "phone", "street", "city", "zip")


def partner_edit_values(pk: int) -> dict | None:
    """{field: value} of EDIT_FIELDS for a live partner; None when merged away or unknown."""
    return Partner.objects.live().filter(pk=pk).values(*EDIT_FIELDS).first()


def service_categories(*, limit: int = 100) -> list[tuple[int, str]]:
    return list(ServiceCategory.objects.order_by("name").values_list("pk", "name")[:limit])


def place_suggest(text: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """Districts then schools whose name contains the text, as [("d:1" or "s:7", label)]."""
    text = " ".join((text or "").split())
    if len(text) < 2:
        return []
    districts = District.objects.filter(name__icontains=text).order_by("name")
    schools = (
        School.objects.filter(name__icontains=text).select_related("district").order_by("name")
    )
    out = [(f"d:{d.pk}", f"{d.name} (district)") for d in districts[: limit // 2]]
    out += [(f"s:{s.pk}", f"{s.name} · {s.district.name}") for s in schools[: limit - len(out)]]
    return out


def places_by_keys(keys: Iterable[str]) -> tuple[list[District], list[School]]:
    """The districts and schools named by picker values like "d:3" and "s:7"."""
    district_ids, school_ids = set(), set()
    for key in keys:
        kind, _, pk = key.partition(":")
        if pk.isdigit():
            (district_ids if kind == "d" else school_ids).add(int(pk))
    return (
        list(District.objects.filter(pk__in=district_ids)),
        list(School.objects.filter(pk__in=school_ids)),
    )
