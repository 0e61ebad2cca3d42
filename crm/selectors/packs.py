"""Reads for CCSPP progress packs and the needs gap view: grouped queries over a set of schools,
a fixed number of them whatever the number of schools.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from crm.fiscal import fiscal_year_of, fy_label
from crm.models import (
    AssetKind,
    CommunitySchoolGrant,
    District,
    Event,
    Funding,
    GrantStatus,
    NeedPriority,
    NeedSource,
    Partner,
    Partnership,
    PartnershipStatus,
    PartnerStatus,
    Pillar,
    Referral,
    School,
    SchoolAsset,
    SchoolNeed,
    ServiceCategory,
)
from crm.reports.packs import (
    AssetLine,
    EventLine,
    GrantLine,
    NeedLine,
    ProgressPack,
    ReferralLine,
    SchoolRows,
    referrals_by_pillar,
)
from crm.roles import is_administrator
from crm.selectors.coordination import schools_of
from crm.selectors.referral_partners import NEED_SERVICES
from crm.selectors.reports import choice_labels, report_labels

REPORT_PERMISSION = "crm.view_report"


def pack_schools_for(user) -> QuerySet[School]:
    """Schools whose packs a user may pull: all for administrators and leadership (who may see
    the annual report), assigned schools for coordinators, none for anyone else."""
    if not getattr(user, "is_active", False):
        return School.objects.none()
    if is_administrator(user) or user.has_perm(REPORT_PERMISSION):
        return School.objects.all()
    return schools_of(user)


def _active_in(fiscal_year: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_fy__lte": fiscal_year}) & (
        Q(**{f"{prefix}end_fy__isnull": True}) | Q(**{f"{prefix}end_fy__gte": fiscal_year})
    )


def serving_partners(school: OuterRef | str = "school", category: str | None = None):
    """Live, active partners serving a school directly or through its district."""
    school_ref = OuterRef(school) if isinstance(school, str) else school
    district_ref = OuterRef(f"{school}__district") if isinstance(school, str) else None
    partners = Partner.objects.live().filter(status=PartnerStatus.ACTIVE)
    where = Q(schools_served=school_ref)
    if district_ref is not None:
        where |= Q(districts_served=district_ref)
    partners = partners.filter(where)
    if category:
        partners = partners.filter(service_categories=OuterRef(category))
    return partners


def needs_with_gaps(*, fiscal_year: int, school_ids) -> QuerySet[SchoolNeed]:
    """Needs of the schools in the year, each marked met when a partner serves it."""
    return (
        SchoolNeed.objects.filter(fiscal_year=fiscal_year, school_id__in=school_ids)
        .select_related("category", "school")
        .annotate(met=Exists(serving_partners("school", "category")))
        .order_by("school__name", "priority", "category__name", "description", "id")
    )


def _school_partners(school_ids: list[int]) -> dict[int, set[str]]:
    live = Q(partner__merged_into__isnull=True, partner__status=PartnerStatus.ACTIVE)
    found: dict[int, set[str]] = defaultdict(set)
    direct = Partner.schools_served.through.objects.filter(live, school_id__in=school_ids)
    for school_id, name in direct.values_list("school_id", "partner__name"):
        found[school_id].add(name)
    districts: dict[int, list[int]] = defaultdict(list)
    for school_id, district_id in School.objects.filter(pk__in=school_ids).values_list(
        "pk", "district_id"
    ):
        districts[district_id].append(school_id)
    via = Partner.districts_served.through.objects.filter(live, district_id__in=list(districts))
    for district_id, name in via.values_list("district_id", "partner__name"):
        for school_id in districts[district_id]:
            found[school_id].add(name)
    return found


def _grouped(qs, key: str, *columns: str, **aggregates) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for row in qs.values(key, *columns).annotate(**aggregates).order_by():
        out[row[key]].append(row)
    return out


def need_pillars() -> dict[str, tuple[str, ...]]:
    """Each referral need's pillars: those of the service categories that meet it (one query)."""
    of_category: dict[str, set[str]] = defaultdict(set)
    for slug, code in ServiceCategory.pillars.through.objects.values_list(
        "servicecategory__slug", "pillar__code"
    ):
        of_category[slug].add(code)
    return {
        str(need): tuple(sorted(set().union(*(of_category[slug] for slug in slugs))))
        for need, slugs in NEED_SERVICES.items()
    }


def school_rows(
    *, fiscal_year: int, school_ids, pillars_of_need: dict[str, tuple[str, ...]] | None = None
) -> list[SchoolRows]:
    """Per-school rows for a pack: fourteen grouped queries, whatever the number of schools
    (thirteen when the caller has read `pillars_of_need`)."""
    if pillars_of_need is None:
        pillars_of_need = need_pillars()
    schools = list(
        School.objects.filter(pk__in=school_ids)
        .select_related("district")
        .order_by("district__name", "name")
    )
    ids = [s.pk for s in schools]
    grants = _grouped(
        CommunitySchoolGrant.objects.filter(school_id__in=ids)
        .exclude(status=GrantStatus.WITHDRAWN)
        .filter(_active_in(fiscal_year)),
        "school_id",
        "grant_type",
        "cohort",
        amount_sum=Sum("amount"),
    )
    events = _grouped(
        Event.objects.filter(school_id__in=ids, fiscal_year=fiscal_year),
        "school_id",
        "kind",
        n=Count("id"),
        people=Sum("participants"),
        items=Sum("items_distributed"),
    )
    referral_qs = Referral.objects.filter(school_id__in=ids, fiscal_year=fiscal_year)
    referrals: dict[int, tuple[ReferralLine, ...]] = defaultdict(tuple)
    for school_id, lines in _grouped(
        referral_qs, "school_id", "need_category", "status", n=Count("id")
    ).items():
        referrals[school_id] = tuple(
            ReferralLine(r["need_category"], r["status"], r["n"]) for r in lines
        )
    individuals = {
        r["school_id"]: r["n"]
        for r in referral_qs.values("school_id")
        .annotate(n=Count("student_ref", distinct=True))
        .order_by()
    }
    funding = {
        r["school_id"]: r["total"] or Decimal("0")
        for r in Funding.objects.filter(school_id__in=ids, fiscal_year=fiscal_year)
        .values("school_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    links = Partnership.schools.through.objects.filter(
        _active_in(fiscal_year, "partnership__"), school_id__in=ids
    ).exclude(partnership__status=PartnershipStatus.PROPOSED)
    partnerships = {
        r["school_id"]: r["n"]
        for r in links.values("school_id")
        .annotate(n=Count("partnership_id", distinct=True))
        .order_by()
    }
    partnership_pillars = _grouped(
        links.filter(partnership__pillars__isnull=False),
        "school_id",
        "partnership__pillars__code",
        n=Count("partnership_id", distinct=True),
    )
    event_pillars = _grouped(
        Event.pillars.through.objects.filter(
            event__school_id__in=ids, event__fiscal_year=fiscal_year
        ),
        "event__school_id",
        "pillar__code",
        n=Count("event_id"),
    )
    needs: dict[int, list[NeedLine]] = defaultdict(list)
    for need in needs_with_gaps(fiscal_year=fiscal_year, school_ids=ids):
        needs[need.school_id].append(
            NeedLine(
                category=need.category.name if need.category_id else "",
                description=need.description,
                priority=need.priority,
                source=need.source,
                met=need.met if need.category_id else None,
            )
        )
    assets: dict[int, list[AssetLine]] = defaultdict(list)
    for school_id, kind, name in (
        SchoolAsset.objects.filter(school_id__in=ids, fiscal_year=fiscal_year)
        .order_by("kind", "name")
        .values_list("school_id", "kind", "name")
    ):
        assets[school_id].append(AssetLine(kind, name))
    partners = _school_partners(ids)
    return [
        SchoolRows(
            school_id=s.pk,
            cds_code=s.cds_code,
            name=s.name,
            district_cds=s.district.cds_code,
            district_name=s.district.name,
            grants=tuple(
                GrantLine(g["grant_type"], g["cohort"], g["amount_sum"] or Decimal("0"))
                for g in sorted(grants[s.pk], key=lambda g: (g["cohort"], g["grant_type"]))
            ),
            events=tuple(
                EventLine(e["kind"], e["n"], e["people"] or 0, e["items"] or 0)
                for e in sorted(events[s.pk], key=lambda e: e["kind"])
            ),
            referrals=referrals[s.pk],
            individuals=individuals.get(s.pk, 0),
            funding=funding.get(s.pk, Decimal("0")),
            partners=tuple(sorted(partners.get(s.pk, ()), key=str.casefold)),
            partnerships=partnerships.get(s.pk, 0),
            event_pillars=tuple((r["pillar__code"], r["n"]) for r in event_pillars[s.pk]),
            partnership_pillars=tuple(
                (r["partnership__pillars__code"], r["n"]) for r in partnership_pillars[s.pk]
            ),
            service_pillars=referrals_by_pillar(referrals[s.pk], pillars_of_need),
            needs=tuple(needs[s.pk]),
            assets=tuple(assets[s.pk]),
        )
        for s in schools
    ]


def _labels() -> dict[str, dict[str, str]]:
    return {
        **report_labels(),
        "priority": choice_labels(NeedPriority),
        "source": choice_labels(NeedSource),
        "asset_kind": choice_labels(AssetKind),
    }


def _pack(scope: str, label: str, code: str, fiscal_year: int, school_ids) -> ProgressPack:
    pillars_of_need = need_pillars()
    rows = school_rows(
        fiscal_year=fiscal_year, school_ids=school_ids, pillars_of_need=pillars_of_need
    )
    return ProgressPack(
        scope=scope,
        label=label,
        code=code,
        fiscal_year=fiscal_year,
        schools=tuple(rows),
        pillar_names=dict(Pillar.objects.values_list("code", "name")),
        need_pillars=pillars_of_need,
        labels=_labels(),
    )


def school_pack(*, school: School, fiscal_year: int) -> ProgressPack:
    return _pack("school", school.name, school.cds_code, fiscal_year, [school.pk])


def district_pack(*, district: District, fiscal_year: int) -> ProgressPack:
    ids = list(district.schools.values_list("pk", flat=True))
    return _pack("district", district.name, district.cds_code, fiscal_year, ids)


def county_pack(*, fiscal_year: int) -> ProgressPack:
    ids = list(School.objects.values_list("pk", flat=True))
    return _pack("county", "Los Angeles County", "", fiscal_year, ids)


def gap_table(
    *, fiscal_year: int, school_ids, district_id: int | None = None, cohort: int | None = None
) -> tuple[list[str], list[dict]]:
    """Schools x need categories for the countywide gap view: each cell met, unmet or empty.

    Returns the category names (columns) and one row per school that recorded needs.
    """
    schools = School.objects.filter(pk__in=school_ids)
    if district_id:
        schools = schools.filter(district_id=district_id)
    if cohort:
        active = CommunitySchoolGrant.objects.exclude(status=GrantStatus.WITHDRAWN).filter(
            _active_in(fiscal_year), cohort=cohort
        )
        schools = schools.filter(pk__in=active.values("school_id"))
    needs = needs_with_gaps(
        fiscal_year=fiscal_year, school_ids=schools.values("pk")
    ).select_related("school__district")
    columns: set[str] = set()
    rows: dict[int, dict] = {}
    for need in needs:
        row = rows.setdefault(
            need.school_id,
            {"school": need.school, "cells": {}, "unmet": 0, "met": 0, "other": []},
        )
        if not need.category_id:
            row["other"].append(need.description)
            continue
        name = need.category.name
        columns.add(name)
        # One met need of a category makes the cell met only if every need in it is met.
        state = "met" if need.met else "unmet"
        if row["cells"].get(name) != "unmet":
            row["cells"][name] = state
    for row in rows.values():
        row["met"] = sum(1 for v in row["cells"].values() if v == "met")
        row["unmet"] = sum(1 for v in row["cells"].values() if v == "unmet")
    ordered = sorted(rows.values(), key=lambda r: (-r["unmet"], r["school"].name))
    return sorted(columns, key=str.casefold), ordered


def may_pull_all_packs(user) -> bool:
    return bool(getattr(user, "is_active", False)) and (
        is_administrator(user) or user.has_perm(REPORT_PERMISSION)
    )


def resolve_pack(
    *, fiscal_year: int, today, school_cds: str = "", district_cds: str = "", user=None
) -> ProgressPack:
    """The pack asked for, after checking the request; ValueError says what was wrong and
    PermissionError what the user may not see. `user` None is the command line (everything)."""
    if fiscal_year > fiscal_year_of(today):
        raise ValueError(f"FY {fy_label(fiscal_year)} has not started yet.")
    school_cds, district_cds = (school_cds or "").strip(), (district_cds or "").strip()
    if school_cds and district_cds:
        raise ValueError("Ask for one school or one district, not both.")
    if school_cds:
        school = School.objects.select_related("district").filter(cds_code=school_cds).first()
        if school is None:
            raise ValueError(f"No school has the CDS code '{school_cds}'.")
        if user is not None and not pack_schools_for(user).filter(pk=school.pk).exists():
            raise PermissionError("You can pull packs only for the schools you are assigned to.")
        return school_pack(school=school, fiscal_year=fiscal_year)
    if user is not None and not may_pull_all_packs(user):
        raise PermissionError("District and county packs are for leadership and administrators.")
    if district_cds:
        district = District.objects.filter(cds_code=district_cds).first()
        if district is None:
            raise ValueError(f"No district has the CDS code '{district_cds}'.")
        return district_pack(district=district, fiscal_year=fiscal_year)
    return county_pack(fiscal_year=fiscal_year)
