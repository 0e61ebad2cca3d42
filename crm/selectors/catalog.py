"""Small lookups that pickers need: partner names and statuses, places, service categories."""

from __future__ import annotations

from collections.abc import Iterable

from crm.models import District, Partner, School, ServiceCategory


def partner_briefs(ids: Iterable[int]) -> dict[int, tuple[str, str, int | None]]:
    """{id: (name, status, merged_into_id)} for the given partners, in one query."""
    rows = Partner.objects.filter(pk__in=list(ids)).values_list(
        "pk", "name", "status", "merged_into_id"
    )
    return {pk: (name, status, merged) for pk, name, status, merged in rows}


def live_partners(ids: Iterable[int]) -> list[Partner]:
    """Partners by id, following nothing: merged-away records are left out."""
    return list(Partner.objects.filter(pk__in=list(ids), merged_into__isnull=True))


def service_categories(*, limit: int = 100) -> list[tuple[int, str]]:
    return list(ServiceCategory.objects.order_by("name").values_list("pk", "name")[:limit])


def place_suggest(text: str, *, limit: int = 20) -> list[tuple[str, str]]:
    """Districts then schools whose name contains the text: [(kind, id, label)] as ("d:1", "…")."""
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
