"""Reads for the annual partnership report: a fixed set of grouped queries, counted in the DB."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import CharField, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from crm.fiscal import fiscal_year_of, fy_bounds
from crm.models import (
    AgreementType,
    CandidateStatus,
    CommunitySchoolGrant,
    DuplicateLevel,
    Event,
    EventKind,
    Funding,
    GrantStatus,
    GrantType,
    NeedCategory,
    Partner,
    PartnerKind,
    Partnership,
    PartnershipStatus,
    Referral,
    ReferralStatus,
)
from crm.models.dedup import DuplicateCandidate
from crm.reports.annual import (
    NONE_KEY,
    AnnualReport,
    EventCount,
    GroupCount,
    PartnershipCount,
    ReferralCount,
    ReportRows,
    compute_report,
    partnership_years,
    school_years,
)

# The surviving partner of a merged-away one; merges move records, this catches any left behind.
PARTNER_KEY = Coalesce("partner__merged_into_id", "partner_id")


def report_labels() -> dict[str, dict[str, str]]:
    def names(choices) -> dict[str, str]:
        return {value: str(label) for value, label in choices.choices}

    return {
        "agreement_type": names(AgreementType),
        "grant_type": names(GrantType),
        "referral_status": names(ReferralStatus),
        "need": names(NeedCategory),
        "event_kind": names(EventKind),
        "partner_kind": names(PartnerKind),
    }


def _active_in(fy: int) -> Q:
    first, last = fy_bounds(fy)
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def _at_year_end(fy: int) -> Q:
    _, last = fy_bounds(fy)
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=last))


def _new(fy: int) -> Q:
    first, last = fy_bounds(fy)
    return Q(start_date__gte=first, start_date__lte=last)


def _continuing(fy: int) -> Q:
    first, _ = fy_bounds(fy)
    return Q(start_date__lt=first) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def _ended(fy: int) -> Q:
    first, last = fy_bounds(fy)
    return Q(end_date__gte=first, end_date__lte=last)


def counted_partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.exclude(status=PartnershipStatus.PROPOSED)


def strategic_partner_keys(fiscal_year: int) -> QuerySet:
    """Ids of the partners counted in the headline, as a subquery."""
    return (
        counted_partnerships()
        .filter(_at_year_end(fiscal_year), strategic=True)
        .annotate(key=PARTNER_KEY)
        .values("key")
    )


def _partnership_counts(fiscal_year: int) -> tuple[PartnershipCount, ...]:
    years = partnership_years(fiscal_year)
    first, _ = fy_bounds(years[0])
    _, last = fy_bounds(years[-1])
    # Only rows that touch the window are read; the full flows are needed for the last two years.
    full = {fiscal_year - 1, fiscal_year}
    measures = {"active": _active_in, "new": _new, "continuing": _continuing, "ended": _ended}
    aggregates = {}
    for fy in years:
        for scope, extra in (("s", Q(strategic=True)), ("a", Q())):
            if fy not in full and scope == "a":
                continue
            aggregates[f"{scope}{fy}_at_year_end"] = Count("id", filter=_at_year_end(fy) & extra)
            aggregates[f"{scope}{fy}_partners"] = Count(
                "key", distinct=True, filter=_at_year_end(fy) & extra
            )
            if fy in full:
                for name, predicate in measures.items():
                    aggregates[f"{scope}{fy}_{name}"] = Count("id", filter=predicate(fy) & extra)
    found = (
        counted_partnerships()
        .filter(Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first)))
        .annotate(key=PARTNER_KEY)
        .aggregate(**aggregates)
    )
    return tuple(
        PartnershipCount(
            fiscal_year=fy,
            strategic_only=scope == "s",
            active=found.get(f"{scope}{fy}_active", 0),
            new=found.get(f"{scope}{fy}_new", 0),
            continuing=found.get(f"{scope}{fy}_continuing", 0),
            ended=found.get(f"{scope}{fy}_ended", 0),
            at_year_end=found[f"{scope}{fy}_at_year_end"],
            partners_at_year_end=found[f"{scope}{fy}_partners"],
        )
        for fy in years
        for scope in ("s", "a")
        if f"{scope}{fy}_at_year_end" in found
    )


def _grant_active(fy: int) -> Q:
    return Q(start_fy__lte=fy, end_fy__gte=fy)


def _schools(fiscal_year: int, baseline_fy: int) -> tuple[dict[int, int], int, list[GroupCount]]:
    grants = CommunitySchoolGrant.objects.exclude(status=GrantStatus.WITHDRAWN)
    baseline_schools = grants.filter(_grant_active(baseline_fy)).values("school_id")
    years = school_years(fiscal_year, baseline_fy)
    found = grants.aggregate(
        additional=Count(
            "school_id",
            distinct=True,
            filter=_grant_active(fiscal_year) & ~Q(school_id__in=baseline_schools),
        ),
        **{f"y{fy}": Count("school_id", distinct=True, filter=_grant_active(fy)) for fy in years},
    )
    groups = []
    current = grants.filter(_grant_active(fiscal_year))
    for dimension, column in (("grant_type", "grant_type"), ("cohort", "cohort")):
        for row in current.values(column).annotate(n=Count("school_id", distinct=True)):
            groups.append(GroupCount(dimension, str(row[column]), row["n"]))
    return {fy: found[f"y{fy}"] for fy in years}, found["additional"], groups


def _breakdowns(fiscal_year: int) -> list[GroupCount]:
    partners = Partner.objects.filter(pk__in=strategic_partner_keys(fiscal_year))
    groups = []
    for dimension, column in (
        ("partner_kind", "kind"),
        ("service_category", "service_categories__name"),
        ("equity_focus_group", "equity_focus_groups__name"),
        ("district", "districts_served__name"),
    ):
        rows = partners.values(column).annotate(n=Count("id", distinct=True)).order_by()
        groups.extend(GroupCount(dimension, row[column] or NONE_KEY, row["n"]) for row in rows)
    return groups


def _impact(fiscal_year: int):
    years = (fiscal_year - 1, fiscal_year)
    events = tuple(
        EventCount(r["fiscal_year"], r["kind"], r["n"], r["people"] or 0, r["items"] or 0)
        for r in Event.objects.filter(fiscal_year__in=years)
        .values("fiscal_year", "kind")
        .annotate(n=Count("id"), people=Sum("participants"), items=Sum("items_distributed"))
        .order_by()
    )
    referrals_qs = Referral.objects.filter(fiscal_year__in=years)
    referrals = tuple(
        ReferralCount(r["fiscal_year"], r["status"], r["need_category"], r["n"])
        for r in referrals_qs.values("fiscal_year", "status", "need_category")
        .annotate(n=Count("id"))
        .order_by()
    )
    # A pseudonymous id is local to its school, so a person is the (school, id) pair.
    person = Concat(Cast("school_id", CharField()), Value(":"), "student_ref")
    individuals = {
        r["fiscal_year"]: r["n"]
        for r in referrals_qs.values("fiscal_year")
        .annotate(n=Count(person, distinct=True))
        .order_by()
    }
    funding = {
        r["fiscal_year"]: r["total"] or Decimal("0")
        for r in Funding.objects.filter(fiscal_year__in=years)
        .values("fiscal_year")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    return events, referrals, individuals, funding


def _duplicates(fiscal_year: int) -> tuple[int, int]:
    keys = strategic_partner_keys(fiscal_year)
    found = DuplicateCandidate.objects.filter(
        level=DuplicateLevel.LIKELY,
        status=CandidateStatus.OPEN,
        left__merged_into__isnull=True,
        right__merged_into__isnull=True,
    ).aggregate(
        total=Count("id"),
        counted=Count("id", filter=Q(left_id__in=keys) & Q(right_id__in=keys)),
    )
    return found["total"], found["counted"]


def report_rows(*, fiscal_year: int, baseline_fy: int) -> ReportRows:
    """The grouped rows for one fiscal year; the number of queries does not depend on the data."""
    schools_by_fy, additional, school_groups = _schools(fiscal_year, baseline_fy)
    events, referrals, individuals, funding = _impact(fiscal_year)
    likely, likely_counted = _duplicates(fiscal_year)
    agreement_types = tuple(
        GroupCount("agreement_type", r["agreement_type"], r["n"])
        for r in counted_partnerships()
        .filter(_at_year_end(fiscal_year), strategic=True)
        .values("agreement_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return ReportRows(
        partnerships=_partnership_counts(fiscal_year),
        agreement_types=agreement_types,
        schools_by_fy=schools_by_fy,
        additional_schools=additional,
        school_groups=tuple(school_groups),
        events=events,
        referrals=referrals,
        individuals_by_fy=individuals,
        funding_by_fy=funding,
        breakdowns=tuple(_breakdowns(fiscal_year)),
        likely_duplicates=likely,
        likely_duplicates_counted=likely_counted,
        labels=report_labels(),
    )


def annual_report(*, fiscal_year: int) -> AnnualReport:
    """The annual partnership report for a fiscal year (the year it ends: 2025 = FY 2024-25)."""
    baseline_fy = settings.COMMUNITY_SCHOOLS_BASELINE_FY
    return compute_report(
        report_rows(fiscal_year=fiscal_year, baseline_fy=baseline_fy),
        fiscal_year=fiscal_year,
        growth_target_pct=settings.PARTNERSHIP_GROWTH_TARGET_PCT,
        schools_target=settings.COMMUNITY_SCHOOLS_TARGET,
        baseline_fy=baseline_fy,
    )


def last_completed_fy() -> int:
    """The most recent fiscal year that has ended: the report's default."""
    return fiscal_year_of(timezone.localdate()) - 1
