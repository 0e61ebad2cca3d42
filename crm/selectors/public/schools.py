"""Community schools on the public site: the directory by district (CCSPP-funded this fiscal year
unless asked otherwise), each school's page, and the sitemap's school list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Subquery
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
    schools = [
        SchoolListing(
            name,
            slug,
            city,
            None if latitude is None else float(latitude),
            None if longitude is None else float(longitude),
            district,
        )
        for name, slug, city, latitude, longitude, district in qs.order_by(
            "district__name", "name"
        ).values_list("name", "slug", "city", "latitude", "longitude", "district__name")
    ]
    return {"fiscal_year": fy, "schools": schools, **_school_filter_choices()}


def _school_filter_choices() -> dict:
    """Districts with a community school, and the grants' cohorts and types, from one read of
    the (few) distinct combinations rather than three queries."""
    combos = set(
        CommunitySchoolGrant.objects.order_by()
        .values_list("school__district_id", "school__district__name", "cohort", "grant_type")
        .distinct()
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
    served = (
        Partner.schools_served.through.objects.filter(school=school).values("partner_id").order_by()
    )
    in_partnership = Partnership.objects.filter(schools=school).values("partner_id").order_by()
    rows = list(
        published_partners()
        # One id list, not two ORed subqueries: PostgreSQL cannot probe an index for an OR of
        # IN-subqueries and would read every partner.
        .filter(pk__in=served.union(in_partnership))
        .order_by("name")
        .values_list("id", "name", "slug", "public_phone", "public_email", "website")
    )
    # The services over the link table's index, not a prefetch of model instances: a school
    # page lists dozens of partners, and building and pickling instances cost more than reading.
    services: dict[int, list[tuple[str, str]]] = {row[0]: [] for row in rows}
    links = Partner.service_categories.through.objects.filter(partner_id__in=list(services))
    for pk, name, name_es in links.values_list(
        "partner_id", "servicecategory__name", "servicecategory__name_es"
    ):
        services[pk].append((name, name_es))
    partners = [PartnerListing(*row[1:], tuple(services[row[0]])) for row in rows]
    # The map shows the district's community schools around this one, not every school in it.
    neighbours = [
        MapPoint(name, slug, float(latitude), float(longitude))
        for name, slug, latitude, longitude in School.objects.filter(district_id=school.district_id)
        .filter(
            Q(pk=school.pk) | Q(Exists(CommunitySchoolGrant.objects.filter(school=OuterRef("pk"))))
        )
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("name", "slug", "latitude", "longitude")
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
