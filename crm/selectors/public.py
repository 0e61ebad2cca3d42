"""Reads for the public site: published partners only, public fields only, and aggregate
figures with small counts (1..10) suppressed. Nothing private leaves this module."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.utils import timezone

from crm.dedup.index import MatchIndex
from crm.fiscal import fiscal_year_of
from crm.models import (
    CommunitySchoolGrant,
    Contact,
    District,
    EquityFocusGroup,
    Event,
    GrantStatus,
    Partner,
    PartnerKind,
    Partnership,
    School,
    ServiceCategory,
)
from crm.models.editable import PARTNER_SERVICE_FIELDS
from crm.selectors.figures import (
    funded_schools,
    funding_grants,
    published_partners,
    recorded_events,
    recorded_referrals,
)
from crm.selectors.need_search import need_index_clear, need_search, published_stamp
from crm.selectors.partners import partner_records, partner_resolve

SUPPRESS_BELOW = 11
SEARCH_LIMIT = 500

# Only these partner columns are ever read for public pages; private ones are never loaded.
PARTNER_LIST_FIELDS = ("id", "name", "slug", "kind", "city", "description", "description_es")
PARTNER_PROFILE_FIELDS = (
    *PARTNER_LIST_FIELDS,
    "website",
    "public_email",
    "public_phone",
    "logo",
    "updated_at",
    *PARTNER_SERVICE_FIELDS,
)


@dataclass(frozen=True)
class PublicCount:
    """A count fit for a public page: `value` is None when the true count is 1..10."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


def public_count(n: int | None) -> PublicCount:
    n = int(n or 0)
    return PublicCount(None if 0 < n < SUPPRESS_BELOW else n)


# -- search ---------------------------------------------------------------------------------

_lock = threading.Lock()
_index_cache: dict[str, object] = {"stamp": None, "index": None}


def public_partner_index(stamp: tuple | None = None) -> MatchIndex:
    """A matcher index over published partners only, so search never reveals hidden names."""
    stamp = stamp if stamp is not None else published_stamp()
    with _lock:
        if _index_cache["stamp"] != stamp or _index_cache["index"] is None:
            _index_cache["index"] = MatchIndex(partner_records(published_partners()))
            _index_cache["stamp"] = stamp
        return _index_cache["index"]  # type: ignore[return-value]


def public_partner_index_clear() -> None:
    need_index_clear()
    with _lock:
        _index_cache["stamp"] = None
        _index_cache["index"] = None


def public_partner_search_ids(text: str) -> list[int]:
    """Published partner ids matching `text`, best first, with the matcher's normalisation
    (so "boys and girls" finds "Boys & Girls Club") and its typo tolerance."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    return [int(m.id) for m in public_partner_index().suggest(text, limit=SEARCH_LIMIT)]


# -- the directory --------------------------------------------------------------------------


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
    options: dict = field(default_factory=dict)


def _with_categories(queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    return queryset.only(*PARTNER_LIST_FIELDS).prefetch_related(
        Prefetch("service_categories", queryset=ServiceCategory.objects.only("name", "name_es"))
    )


def _partner_rows(partners: list[Partner]) -> list[dict]:
    """Public fields of these partners with their service categories, as plain dicts."""
    rows = []
    for p in partners:
        rows.append(
            {
                "name": p.name,
                "slug": p.slug,
                "kind": p.kind,
                "city": p.city,
                "description": p.description,
                "description_es": p.description_es,
                "categories": [(c.name, c.name_es) for c in p.service_categories.all()],
            }
        )
    return rows


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
        through.objects.filter(
            **{column: OuterRef("pk")},
            partner__published=True,
            partner__merged_into__isnull=True,
        ).values("partner_id")[:1]
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
    schools = offered(School, "schools_served").values_list(tagged("s"), "slug", "name", blank)
    return categories.union(groups, districts, schools, all=True)


# The options query never changes, and building and compiling its four-way union costs more
# than running it, so it is compiled once per process and database.
_options_sql: dict[tuple[str, str], tuple[str, tuple]] = {}


def public_directory_options() -> dict:
    """Filter choices, in one query: only values that lead to at least one published partner."""
    key = (connection.alias, connection.vendor)
    if key not in _options_sql:
        _options_sql[key] = _directory_options_query().query.sql_with_params()
    sql, params = _options_sql[key]
    out: dict[str, list] = {"c": [], "g": [], "d": [], "s": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for tag, key_value, name, name_es in cursor.fetchall():
            out[tag].append((key_value, name, name_es))
    return {
        "categories": sorted(out["c"], key=lambda row: row[1]),
        "groups": sorted(out["g"], key=lambda row: row[1]),
        "districts": sorted(((k, n) for k, n, _ in out["d"]), key=lambda row: row[1]),
        "schools": sorted(((k, n) for k, n, _ in out["s"]), key=lambda row: row[1]),
        "kinds": list(PartnerKind.choices),
    }


def public_directory(filters: DirectoryFilters, *, per_page: int = 20) -> DirectoryPage:
    """One page of the partner directory for these filters, plus the filter choices."""
    qs = published_partners()
    if filters.category:
        qs = qs.filter(service_categories__slug=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.district.isdigit():
        qs = qs.filter(districts_served__id=int(filters.district))
    elif filters.district:
        qs = qs.none()
    if filters.school:
        qs = qs.filter(schools_served__slug=filters.school)
    if filters.focus:
        qs = qs.filter(equity_focus_groups__slug=filters.focus)
    options = public_directory_options()
    why: dict[int, list] = {}
    if filters.q:
        text = " ".join(filters.q.split())[:100]
        stamp = published_stamp()
        names = public_partner_index(stamp).suggest(text, limit=SEARCH_LIMIT)
        found = need_search(text, stamp=stamp, name_hits=[(int(m.id), m.score) for m in names])
        why = dict(found)
        ranked = [pk for pk, _ in found]
        allowed = set(qs.filter(pk__in=ranked).values_list("pk", flat=True))
        ids = [pk for pk in ranked if pk in allowed]
        total = len(ids)
        pages = max(1, -(-total // per_page))
        page = min(max(filters.page, 1), pages)
        page_ids = ids[(page - 1) * per_page : page * per_page]
        by_id = {p.pk: p for p in _with_categories(Partner.objects.filter(pk__in=page_ids))}
        partners = [by_id[pk] for pk in page_ids if pk in by_id]
    else:
        total = qs.count()
        pages = max(1, -(-total // per_page))
        page = min(max(filters.page, 1), pages)
        # The page's ids first, then their rows: the ids come from an index-only scan, so a
        # deep page does not make the database sort every published partner's full row.
        window = qs.order_by("name", "id").values("pk")[(page - 1) * per_page : page * per_page]
        partners = list(
            _with_categories(Partner.objects.filter(pk__in=window)).order_by("name", "id")
        )
    rows = _partner_rows(partners)
    for row, partner in zip(rows, partners, strict=True):
        row["reasons"] = why.get(partner.pk, [])
    return DirectoryPage(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        options=options,
    )


def public_partner_sitemap() -> list[tuple[str, dt.datetime]]:
    return list(published_partners().order_by("slug").values_list("slug", "updated_at"))


# -- partner profile ------------------------------------------------------------------------


@dataclass
class PartnerLookup:
    """A profile to show, a survivor to redirect to, or neither (404)."""

    partner: Partner | None = None
    redirect_slug: str | None = None


def public_partner_lookup(slug: str) -> PartnerLookup:
    found = (
        Partner.objects.filter(slug=slug)
        .only(*PARTNER_PROFILE_FIELDS, "published", "merged_into")
        .select_related("logo")
        .first()
    )
    if found is None:
        return PartnerLookup()
    if found.merged_into_id is not None:
        survivor = partner_resolve(found)
        if survivor.published and survivor.merged_into_id is None:
            return PartnerLookup(redirect_slug=survivor.slug)
        return PartnerLookup()
    if not found.published:
        return PartnerLookup()
    prefetch_related_objects(
        [found],
        Prefetch("service_categories", queryset=ServiceCategory.objects.only("name", "name_es")),
        Prefetch("equity_focus_groups", queryset=EquityFocusGroup.objects.only("name", "name_es")),
        Prefetch("districts_served", queryset=District.objects.only("name")),
        Prefetch("schools_served", queryset=School.objects.only("name", "slug", "district_id")),
        Prefetch(
            "contacts",
            queryset=Contact.objects.filter(is_public=True).only(
                "partner_id", "name", "role", "email", "phone"
            ),
            to_attr="public_contacts",
        ),
    )
    return PartnerLookup(partner=found)


# -- impact ---------------------------------------------------------------------------------


def public_impact(*, today: dt.date | None = None) -> dict[str, PublicCount | int]:
    """The initiative's headline figures, each counted through the shared definitions in
    crm.selectors.figures and suppressed when 1..10: partners and funded schools now, activity
    since records began."""
    fy = fiscal_year_of(today or timezone.localdate())
    events = recorded_events().aggregate(
        n=Count("id"),
        people=Sum("participants"),
        items=Sum("items_distributed"),
    )
    return {
        "fiscal_year": fy,
        "partners": public_count(published_partners().count()),
        "community_schools": public_count(funded_schools(fy).count()),
        "events": public_count(events["n"]),
        "participants": public_count(events["people"]),
        "items": public_count(events["items"]),
        "referrals": public_count(recorded_referrals().count()),
    }


# -- community schools ----------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolFilters:
    district: str = ""
    grant_type: str = ""
    cohort: str = ""
    # "" lists the schools CCSPP-funded this fiscal year (the figure on every page); "any"
    # adds those whose grants have ended.
    period: str = ""

    def cache_key(self) -> str:
        return f"{self.district}|{self.grant_type}|{self.cohort}|{self.period}"

    @property
    def active(self) -> bool:
        return any((self.district, self.grant_type, self.cohort, self.period))


def community_schools() -> QuerySet[School]:
    """Schools that hold or held a CCSPP grant: the community schools the site lists."""
    return School.objects.filter(Exists(CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))))


def public_school_directory(filters: SchoolFilters, *, today: dt.date | None = None) -> dict:
    """Community schools grouped by district for these filters, plus the filter choices. By
    default the CCSPP-funded schools of the current fiscal year, as counted everywhere else."""
    fy = fiscal_year_of(today or timezone.localdate())
    if filters.period == "any":
        grants = CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))
    else:
        grants = funding_grants(fy).filter(school=OuterRef("pk"))
    if filters.grant_type:
        grants = grants.filter(grant_type=filters.grant_type)
    if filters.cohort.isdigit():
        grants = grants.filter(cohort=int(filters.cohort))
    elif filters.cohort:
        grants = grants.none()
    qs = School.objects.filter(Exists(grants))
    if filters.district.isdigit():
        qs = qs.filter(district_id=int(filters.district))
    elif filters.district:
        qs = qs.none()
    schools = list(
        qs.select_related("district")
        .only("name", "slug", "city", "latitude", "longitude", "district__name")
        .order_by("district__name", "name")
    )
    all_grants = CommunitySchoolGrant.objects.all()
    return {
        "fiscal_year": fy,
        "schools": schools,
        "districts": list(
            District.objects.filter(Exists(community_schools().filter(district=OuterRef("pk"))))
            .values_list("id", "name")
            .order_by("name")
        ),
        # DISTINCT in the database: the choices are few, the grants many.
        "cohorts": list(all_grants.values_list("cohort", flat=True).distinct().order_by("cohort")),
        "grant_types": list(
            all_grants.values_list("grant_type", flat=True).distinct().order_by("grant_type")
        ),
    }


def public_school_sitemap() -> list[tuple[str]]:
    return list(
        School.objects.filter(
            Q(Exists(CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))))
            | Q(Exists(published_partners().filter(schools_served=OuterRef("pk"))))
        )
        .order_by("slug")
        .values_list("slug", flat=True)
    )


def public_school_profile(slug: str, *, today: dt.date | None = None) -> dict | None:
    """A school's public page: address, district, CCSPP status, published partners serving it,
    public event counts, and its district's schools for the map."""

    def event_total(column: str):
        return Subquery(
            Event.objects.filter(school=OuterRef("pk"))
            .values("school")
            .annotate(total=Count("id") if column == "id" else Sum(column))
            .values("total")[:1]
        )

    school = (
        School.objects.select_related("district")
        .annotate(
            event_n=event_total("id"),
            event_people=event_total("participants"),
            event_items=event_total("items_distributed"),
        )
        .filter(slug=slug)
        .first()
    )
    if school is None:
        return None
    fy = fiscal_year_of(today or timezone.localdate())
    grants = list(
        school.grants.only(
            "school_id",
            "grant_type",
            "cohort",
            "start_date",
            "end_date",
            "status",
            "start_fy",
            "end_fy",
        ).order_by("-start_date")
    )
    current = [
        g for g in grants if g.start_fy <= fy <= g.end_fy and g.status != GrantStatus.WITHDRAWN
    ]
    served = (
        Partner.schools_served.through.objects.filter(school=school).values("partner_id").order_by()
    )
    in_partnership = Partnership.objects.filter(schools=school).values("partner_id").order_by()
    partners = list(
        published_partners()
        # One id list, not two ORed subqueries: PostgreSQL cannot probe an index for an OR of
        # IN-subqueries and would read every partner.
        .filter(pk__in=served.union(in_partnership))
        .only("name", "slug", "kind", "public_phone", "public_email", "website")
        .prefetch_related(
            Prefetch(
                "service_categories",
                queryset=ServiceCategory.objects.only("slug", "name", "name_es"),
            )
        )
        .order_by("name")
    )
    # The map shows the district's community schools around this one, not every school in it.
    neighbours = list(
        School.objects.filter(district_id=school.district_id)
        .filter(
            Q(pk=school.pk) | Q(Exists(CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))))
        )
        .filter(latitude__isnull=False, longitude__isnull=False)
        .only("name", "slug", "latitude", "longitude")
    )
    return {
        "school": school,
        "grants": grants,
        "current_grants": current,
        "partners": partners,
        "events": public_count(school.event_n),
        "participants": public_count(school.event_people),
        "items": public_count(school.event_items),
        "neighbours": neighbours,
        "fiscal_year": fy,
    }
