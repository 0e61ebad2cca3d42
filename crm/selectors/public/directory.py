"""The partner directory: one page of published partners for a visitor's filters and search, the
filter choices that lead somewhere, and the sitemap's partner list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection
from django.db.models import CharField, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast

from crm.models import District, EquityFocusGroup, Partner, School, ServiceCategory
from crm.selectors.compiled import compiled_rows
from crm.selectors.figures import published_partners, published_through
from crm.selectors.public.search import public_search

# Only these partner columns are ever read for public pages; private ones are never loaded.
PARTNER_LIST_FIELDS = ("id", "name", "slug", "kind", "city", "description", "description_es")


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    category: str = ""
    kind: str = ""
    district: str = ""
    school: str = ""
    focus: str = ""
    page: int = 1

    def cache_key(self) -> str:
        return "|".join(
            [self.q.casefold(), self.category, self.kind, self.district, self.school, self.focus]
            + [str(self.page)]
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.category, self.kind, self.district, self.school, self.focus))


@dataclass
class DirectoryPage:
    rows: list[dict]
    total: int
    page: int
    pages: int
    filters: DirectoryFilters


def _partner_rows(partners: QuerySet[Partner]) -> list[dict]:
    """Public fields of these partners with their service categories, as plain dicts, in the
    queryset's order."""
    return _with_categories(list(partners.values(*PARTNER_LIST_FIELDS)))


def _with_categories(rows: list[dict]) -> list[dict]:
    """The rows with their service categories, read over the link table's (partner, category)
    index (a prefetch joins from the categories, which SQLite plans as a walk over every link)."""
    categories: dict[int, list[tuple[str, str]]] = {row["id"]: [] for row in rows}
    for pk, name, name_es in compiled_rows(
        "directory-categories", _category_links, list(categories)
    ):
        categories[pk].append((name, name_es))
    for row in rows:
        row["categories"] = categories[row["id"]]
    return rows


def _category_links(partner_ids: list[int]) -> QuerySet:
    return (
        Partner.service_categories.through.objects.filter(partner_id__in=partner_ids)
        .order_by("servicecategory__name")
        .values_list("partner_id", "servicecategory__name", "servicecategory__name_es")
    )


def _first_published(relation: str) -> Subquery:
    """The first published partner serving the outer row through `relation`, or NULL.

    A scalar subquery with LIMIT 1 rather than EXISTS: PostgreSQL turns EXISTS into a hash
    semi-join that reads every partner link, while this probes the link index once per choice
    and stops at the first published partner (about 15 ms against 1 ms at 10k partners).
    """
    field = Partner._meta.get_field(relation)
    through = field.remote_field.through
    column = field.m2m_reverse_field_name()
    return Subquery(
        through.objects.filter(published_through(), **{column: OuterRef("pk")}).values(
            "partner_id"
        )[:1]
    )


def _directory_options_query() -> QuerySet:
    """Every filter choice that leads to a published partner, as (tag, key, name, name_es)."""
    blank = Value("", output_field=CharField())

    def tagged(tag: str):
        return Value(tag, output_field=CharField())

    def offered(model, relation: str):
        return (
            model.objects.annotate(first=_first_published(relation))
            .filter(first__isnull=False)
            .order_by()
        )

    categories = offered(ServiceCategory, "service_categories").values_list(
        tagged("c"), "slug", "name", "name_es"
    )
    groups = offered(EquityFocusGroup, "equity_focus_groups").values_list(
        tagged("g"), "slug", "name", "name_es"
    )
    districts = offered(District, "districts_served").values_list(
        tagged("d"), Cast("id", CharField()), "name", blank
    )
    return categories.union(groups, districts, all=True)


# The options query never changes, and building and compiling its three-way union costs more
# than running it, so it is compiled once per process and database.
_options_sql: dict[tuple[str, str], tuple[str, tuple]] = {}


def public_directory_options() -> dict:
    """Filter choices, in one query: only values that lead to at least one published partner.
    Plain strings only (the kinds' translated labels are the page's to add): the result is
    cached, and every lazy label costs a class to rebuild when it is unpickled. Schools are
    offered a district at a time (public_directory_schools)."""
    key = (connection.alias, connection.vendor)
    if key not in _options_sql:
        _options_sql[key] = _directory_options_query().query.sql_with_params()
    sql, params = _options_sql[key]
    out: dict[str, list] = {"c": [], "g": [], "d": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for tag, key_value, name, name_es in cursor.fetchall():
            out[tag].append((key_value, name, name_es))
    by_name = itemgetter(1)
    return {
        "categories": sorted(out["c"], key=by_name),
        "groups": sorted(out["g"], key=by_name),
        "districts": sorted([(k, n) for k, n, _ in out["d"]], key=by_name),
    }


def public_directory_schools(*, district: str, school: str = "") -> list[tuple[str, str]]:
    """The school filter's choices, (slug, name) by name: the schools of `district` that lead to
    a published partner, and the chosen `school` wherever it is. A county's schools run to the
    thousands, too many for one list on a phone and too many to probe on every page: the
    directory asks for a district first."""
    found = School.objects.none()
    if district.isdigit():
        found = School.objects.filter(district_id=int(district)).annotate(
            first=_first_published("schools_served")
        )
        found = found.filter(first__isnull=False)
    if school:
        found = found.union(School.objects.filter(slug=school))
    return sorted(found.values_list("slug", "name"), key=itemgetter(1))


_FILTER_FIELDS = ("category", "kind", "district", "school", "focus")
_FILTER_LOOKUPS = {
    "category": "service_categories__slug",
    "kind": "kind",
    "district": "districts_served__id",
    "school": "schools_served__slug",
    "focus": "equity_focus_groups__slug",
}


def _filter_value(filters: DirectoryFilters, name: str) -> str | int:
    value = getattr(filters, name)
    return int(value) if name == "district" else value


def _filtered_by(names: list[str], values) -> QuerySet[Partner]:
    """Published partners narrowed by each named filter, one join each."""
    qs = published_partners()
    for name, value in zip(names, values, strict=True):
        qs = qs.filter(**{_FILTER_LOOKUPS[name]: value})
    return qs


def _filtered(filters: DirectoryFilters) -> QuerySet[Partner]:
    if filters.district and not filters.district.isdigit():
        return published_partners().none()
    names = [name for name in _FILTER_FIELDS if getattr(filters, name)]
    return _filtered_by(names, [_filter_value(filters, name) for name in names])


def _page_rows(filters: DirectoryFilters, names: list[str], page: int, per_page: int) -> list:
    """One page's partners in name order. The page's ids first, then their rows: the ids come
    from an index-only scan, so a deep page does not make the database sort every published
    partner's full row. The page's bounds are part of the compiled query."""
    start = (page - 1) * per_page
    found = compiled_rows(
        f"directory-page:{','.join(names)}:{start}:{per_page}",
        lambda *v: (
            Partner.objects.filter(
                pk__in=_filtered_by(names, v)
                .order_by("name", "id")
                .values("pk")[start : start + per_page]
            )
            .order_by("name", "id")
            .values_list(*PARTNER_LIST_FIELDS)
        ),
        *[_filter_value(filters, name) for name in names],
    )
    return _with_categories([dict(zip(PARTNER_LIST_FIELDS, row, strict=True)) for row in found])


def _pages(total: int, wanted: int, per_page: int) -> tuple[int, int]:
    """(page, pages): the wanted page brought within 1..pages."""
    pages = max(1, -(-total // per_page))
    return min(max(wanted, 1), pages), pages


def public_directory(filters: DirectoryFilters, *, per_page: int = 20) -> DirectoryPage:
    """One page of the partner directory for these filters (the filter choices, the same for
    every page, are public_directory_options)."""
    why: dict[int, list] = {}
    if filters.q:
        qs = _filtered(filters)
        found = public_search(filters.q)
        why = dict(found)
        ranked = [pk for pk, _ in found]
        allowed = set(qs.filter(pk__in=ranked).values_list("pk", flat=True))
        ids = [pk for pk in ranked if pk in allowed]
        total = len(ids)
        page, pages = _pages(total, filters.page, per_page)
        page_ids = ids[(page - 1) * per_page : page * per_page]
        by_id = {row["id"]: row for row in _partner_rows(Partner.objects.filter(pk__in=page_ids))}
        rows = [by_id[pk] for pk in page_ids if pk in by_id]
    else:
        names = [name for name in _FILTER_FIELDS if getattr(filters, name)]
        if filters.district and not filters.district.isdigit():
            total = 0
        else:
            values = [_filter_value(filters, name) for name in names]
            total = compiled_rows(
                f"directory-count:{','.join(names)}",
                lambda *v: (
                    _filtered_by(names, v)
                    .order_by()
                    .values_list(Func(F("id"), function="COUNT", output_field=IntegerField()))
                ),
                *values,
            )[0][0]
        page, pages = _pages(total, filters.page, per_page)
        rows = _page_rows(filters, names, page, per_page) if total else []
    for row in rows:
        row["reasons"] = why.get(row.pop("id"), [])
    return DirectoryPage(rows=rows, total=total, page=page, pages=pages, filters=filters)


def public_partner_sitemap() -> list[tuple[str, dt.datetime]]:
    return list(published_partners().order_by("slug").values_list("slug", "updated_at"))
