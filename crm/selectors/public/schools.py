"""Community schools on the public site: the directory by district (CCSPP-funded this fiscal year
unless asked otherwise), each school's page, and the sitemap's school list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from crm.fiscal import fiscal_year_of
from crm.models import (
    CommunitySchoolGrant,
    Event,
    GrantStatus,
    Partner,
    Partnership,
    School,
)
from crm.selectors.compiled import compiled_rows
from crm.selectors.figures import funding_grants, published_partners
from crm.selectors.public.counts import public_count


class SchoolListing(NamedTuple):
    """A school as the directory and its map show it. Plain values rather than model instances
    or dataclasses: the page's result is cached, and (un)pickling hundreds of objects cost more
    than the query that read them."""

    name: str
    slug: str
    city: str
    latitude: float | None
    longitude: float | None
    district: str


class MapPoint(NamedTuple):
    name: str
    slug: str
    latitude: float
    longitude: float


class PartnerListing(NamedTuple):
    """A published partner as a school's page and resource sheet list it, with its services
    as (name, Spanish name): plain values, cached for the same reason as SchoolListing."""

    name: str
    slug: str
    public_phone: str
    public_email: str
    website: str
    services: tuple[tuple[str, str], ...]


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
    # Each combination of filters is its own query shape; a value no school can have (a cohort
    # or district that is not a number) lists none.
    if (filters.cohort and not filters.cohort.isdigit()) or (
        filters.district and not filters.district.isdigit()
    ):
        found = []
    else:
        given = {
            "grant_type": filters.grant_type,
            "cohort": int(filters.cohort) if filters.cohort else "",
            "district": int(filters.district) if filters.district else "",
        }
        names = [name for name, value in given.items() if value != ""]
        shape = f"school-directory:{filters.period}:{','.join(names)}"
        found = compiled_rows(
            shape,
            lambda fiscal_year, *values: _school_directory_rows(
                filters.period, fiscal_year, dict(zip(names, values, strict=True))
            ),
            fy,
            *(given[name] for name in names),
        )
    schools = [
        SchoolListing(
            name,
            slug,
            city,
            None if latitude is None else float(latitude),
            None if longitude is None else float(longitude),
            district,
        )
        for name, slug, city, latitude, longitude, district in found
    ]
    return {"fiscal_year": fy, "schools": schools, **_school_filter_choices()}


def _school_directory_rows(period: str, fiscal_year: int, given: dict) -> QuerySet:
    if period == "any":
        grants = CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))
    else:
        grants = funding_grants(fiscal_year).filter(school=OuterRef("pk"))
    if "grant_type" in given:
        grants = grants.filter(grant_type=given["grant_type"])
    if "cohort" in given:
        grants = grants.filter(cohort=given["cohort"])
    qs = School.objects.filter(Exists(grants))
    if "district" in given:
        qs = qs.filter(district_id=given["district"])
    # Coordinates as floats from the database: the page wants floats, and building a Decimal
    # per coordinate first costs more than the query on a county's schools.
    return qs.order_by("district__name", "name").values_list(
        "name",
        "slug",
        "city",
        Cast("latitude", FloatField()),
        Cast("longitude", FloatField()),
        "district__name",
    )


def _school_filter_choices() -> dict:
    """Districts with a community school, and the grants' cohorts and types, from one read of
    the (few) distinct combinations rather than three queries."""
    combos = set(
        compiled_rows(
            "school-filter-choices",
            lambda: (
                CommunitySchoolGrant.objects.order_by()
                .values_list(
                    "school__district_id", "school__district__name", "cohort", "grant_type"
                )
                .distinct()
            ),
        )
    )
    return {
        "districts": sorted({(d, name) for d, name, _, _ in combos}, key=lambda d: (d[1], d[0])),
        "cohorts": sorted({cohort for _, _, cohort, _ in combos}),
        "grant_types": sorted({grant_type for _, _, _, grant_type in combos}),
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

    def event_total(function: str, column: str):
        # COUNT/SUM as a plain function over the school's events: one row without GROUP BY,
        # which Django builds in about half the time of a grouped aggregate subquery.
        return Subquery(
            Event.objects.filter(school=OuterRef("pk"))
            .order_by()
            .values(total=Func(F(column), function=function))
        )

    school = (
        School.objects.select_related("district")
        .annotate(
            event_n=event_total("COUNT", "id"),
            event_people=event_total("SUM", "participants"),
            event_items=event_total("SUM", "items_distributed"),
        )
        .filter(slug=slug)
        .order_by()
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
    rows = compiled_rows("school-partners", _school_partner_rows, school.pk)
    services: dict[int, list[tuple[str, str]]] = {row[0]: [] for row in rows}
    for pk, name, name_es in compiled_rows("partner-services", _partner_services, list(services)):
        services[pk].append((name, name_es))
    partners = [PartnerListing(*row[1:], tuple(services[row[0]])) for row in rows]
    neighbours = [
        MapPoint(name, slug, float(latitude), float(longitude))
        for name, slug, latitude, longitude in compiled_rows(
            "school-neighbours", _school_neighbours, school.pk, school.district_id
        )
    ]
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


def _school_partner_rows(school_id: int) -> QuerySet:
    served = (
        Partner.schools_served.through.objects.filter(school_id=school_id)
        .values("partner_id")
        .order_by()
    )
    in_partnership = Partnership.objects.filter(schools=school_id).values("partner_id").order_by()
    return (
        published_partners()
        # One id list, not two ORed subqueries: PostgreSQL cannot probe an index for an OR of
        # IN-subqueries and would read every partner.
        .filter(pk__in=served.union(in_partnership))
        .order_by("name")
        .values_list("id", "name", "slug", "public_phone", "public_email", "website")
    )


def _partner_services(partner_ids: list[int]) -> QuerySet:
    # The services over the link table's index, not a prefetch of model instances: a school
    # page lists dozens of partners, and building and pickling instances cost more than reading.
    return Partner.service_categories.through.objects.filter(
        partner_id__in=partner_ids
    ).values_list("partner_id", "servicecategory__name", "servicecategory__name_es")


def _school_neighbours(school_id: int, district_id: int) -> QuerySet:
    """The map shows the district's community schools around this one, not every school in it."""
    return (
        School.objects.filter(district_id=district_id)
        .filter(
            Q(pk=school_id) | Q(Exists(CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))))
        )
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("name", "slug", "latitude", "longitude")
    )
