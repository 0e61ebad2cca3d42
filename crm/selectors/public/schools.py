"""Community schools on the public site: the directory by district (CCSPP-funded this fiscal year
unless asked otherwise), each school's page, and the sitemap's school list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from crm.fiscal import fiscal_year_of
from crm.models import (
    CommunitySchoolGrant,
    District,
    Event,
    GrantStatus,
    Partner,
    Partnership,
    School,
    ServiceCategory,
)
from crm.selectors.figures import funding_grants, published_partners
from crm.selectors.public.counts import public_count


@dataclass(frozen=True)
class DistrictName:
    name: str


@dataclass(frozen=True)
class SchoolListing:
    """A school as the directory and its map show it. Plain values rather than model
    instances: the page's result is cached, and pickling hundreds of model instances cost
    more than the query that read them."""

    name: str
    slug: str
    city: str
    latitude: Decimal | None
    longitude: Decimal | None
    district: DistrictName


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
        SchoolListing(name, slug, city, latitude, longitude, DistrictName(district))
        for name, slug, city, latitude, longitude, district in qs.order_by(
            "district__name", "name"
        ).values_list("name", "slug", "city", "latitude", "longitude", "district__name")
    ]
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
