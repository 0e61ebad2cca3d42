"""Reads for the annual partnership report: a fixed set of grouped queries, counted in the DB."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
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
    FIRST_FY,
    LAST_FY,
    NONE_KEY,
    AnnualReport,
    EventCount,
    GroupCount,
    PartnersAtYearEnd,
    PartnershipGroup,
    ReferralCount,
    ReportRows,
    compute_report,
    partner_years,
    school_years,
)
from crm.selectors.agreements import without_current_agreement
from crm.selectors.figures import grant_funds_in

# The end date is the last active day: one on June 30 keeps a partnership active at year end.
ENDS_AT_YEAR_END = Case(
    When(
        end_date__in=[fy_bounds(fy)[1] for fy in range(FIRST_FY, LAST_FY + 1)],
        then=Value(True),
    ),
    default=Value(False),
    output_field=BooleanField(),
)


def partner_key() -> Coalesce:
    """The partner a partnership counts for: the survivor when its partner was merged away.

    Merges move records to the survivor; this catches any left behind.
    """
    return Coalesce("partner__merged_into_id", "partner_id")


def choice_labels(choices) -> dict[str, str]:
    """A TextChoices' stored values and their labels, for the plain-Python report code."""
    return {value: str(label) for value, label in choices.choices}


def report_labels() -> dict[str, dict[str, str]]:
    return {
        "agreement_type": choice_labels(AgreementType),
        "grant_type": choice_labels(GrantType),
        "referral_status": choice_labels(ReferralStatus),
        "need": choice_labels(NeedCategory),
        "event_kind": choice_labels(EventKind),
        "partner_kind": choice_labels(PartnerKind),
    }


def _at_year_end(fy: int) -> Q:
    # On the stored fiscal years: ending after this FY, or on its last day.
    _, last = fy_bounds(fy)
    return Q(start_fy__lte=fy) & (Q(end_fy__isnull=True) | Q(end_fy__gt=fy) | Q(end_date=last))


def counted_partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.exclude(status=PartnershipStatus.PROPOSED)


def _strategic() -> Q:
    # "IN (true)" rather than the bare column Django writes for =True, so indexes can seek on it.
    return Q(strategic__in=[True])


def strategic_partners(fiscal_year: int) -> QuerySet[Partner]:
    """The partners counted in the headline (the partner_key() of every active strategic
    partnership at year end): live partners' own, and the survivors of merged-away ones.

    Plain subqueries instead of one over partner_key(): they read indexes, with no join over
    every partnership.
    """
    at_end = (
        counted_partnerships().filter(_at_year_end(fiscal_year), _strategic()).values("partner_id")
    )
    survivors = Partner.objects.merged().filter(pk__in=at_end).values("merged_into_id")
    return Partner.objects.filter(Q(merged_into__isnull=True, pk__in=at_end) | Q(pk__in=survivors))


def _partnership_groups() -> tuple[PartnershipGroup, ...]:
    """Every counted partnership in one pass, grouped by start and end fiscal year."""
    rows = (
        counted_partnerships()
        .annotate(at_end=ENDS_AT_YEAR_END)
        .values("start_fy", "strategic", "end_fy", "at_end")
        .annotate(n=Count("id"))
        .order_by()
    )
    return tuple(
        PartnershipGroup(r["strategic"], r["start_fy"], r["end_fy"], bool(r["at_end"]), r["n"])
        for r in rows
    )


def _partners_at_year_end(fiscal_year: int) -> tuple[PartnersAtYearEnd, ...]:
    """Distinct partners per year, counted in the database in two disjoint parts.

    Partners untouched by any merge count by their own id, which needs no join to Partner;
    only partnerships of merged-away partners and their survivors are keyed by partner_key().
    """
    years = partner_years(fiscal_year)
    merged = Partner.objects.merged()
    involved = Q(partner_id__in=merged.values("id")) | Q(
        partner_id__in=merged.values("merged_into")
    )
    conditions = {
        f"{'s' if strategic_only else 'a'}{fy}": _at_year_end(fy)
        & (_strategic() if strategic_only else Q())
        for fy, scopes in years.items()
        for strategic_only in scopes
    }
    plain = (
        counted_partnerships()
        .exclude(involved)
        .aggregate(
            **{name: Count("partner_id", distinct=True, filter=c) for name, c in conditions.items()}
        )
    )
    mixed = (
        counted_partnerships()
        .filter(involved)
        .aggregate(
            **{
                name: Count(partner_key(), distinct=True, filter=c)
                for name, c in conditions.items()
            }
        )
    )
    return tuple(
        PartnersAtYearEnd(
            fy,
            strategic_only,
            plain[f"{'s' if strategic_only else 'a'}{fy}"]
            + mixed[f"{'s' if strategic_only else 'a'}{fy}"],
        )
        for fy, scopes in years.items()
        for strategic_only in scopes
    )


def _grant_active(fy: int) -> Q:
    # The public site counts funded schools through the same definition.
    return grant_funds_in(fy)


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
    partners = strategic_partners(fiscal_year)
    groups = []
    for dimension, column in (
        ("partner_kind", "kind"),
        ("service_category", "service_categories__name"),
        ("equity_focus_group", "equity_focus_groups__name"),
        ("district", "districts_served__name"),
    ):
        # A partner appears once per group (the many-to-many pairs are unique), so no DISTINCT.
        rows = partners.values(column).annotate(n=Count("id")).order_by()
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
    """Open likely pairs of live partners; and those where both partners are counted, checked
    pair by pair with index lookups (the pairs are few, the partnerships many)."""
    at_end = counted_partnerships().filter(_at_year_end(fiscal_year), _strategic())

    def counted(side: str) -> Q:
        return Q(Exists(at_end.filter(partner_id=OuterRef(side)))) | Q(
            Exists(at_end.filter(partner__merged_into_id=OuterRef(side)))
        )

    pairs = DuplicateCandidate.objects.filter(
        level=DuplicateLevel.LIKELY,
        status=CandidateStatus.OPEN,
        left__merged_into__isnull=True,
        right__merged_into__isnull=True,
    )
    found = pairs.aggregate(
        total=Count("id"), counted=Count("id", filter=counted("left_id") & counted("right_id"))
    )
    return found["total"], found["counted"]


def report_rows(*, fiscal_year: int, baseline_fy: int) -> ReportRows:
    """The grouped rows for one fiscal year; the number of queries does not depend on the data."""
    schools_by_fy, additional, school_groups = _schools(fiscal_year, baseline_fy)
    events, referrals, individuals, funding = _impact(fiscal_year)
    likely, likely_counted = _duplicates(fiscal_year)
    # One query: strategic partnerships at year end by agreement type, and how many of them
    # have no signed agreement current on the year's last day (or today, mid-year).
    on = min(fy_bounds(fiscal_year)[1], timezone.localdate())
    by_type = list(
        counted_partnerships()
        .filter(_at_year_end(fiscal_year), _strategic())
        .annotate(unsigned=without_current_agreement(on=on))
        .values("agreement_type")
        .annotate(n=Count("id"), bare=Count("id", filter=Q(unsigned=True)))
        .order_by()
    )
    agreement_types = tuple(
        GroupCount("agreement_type", r["agreement_type"], r["n"]) for r in by_type
    )
    return ReportRows(
        partnership_groups=_partnership_groups(),
        partners_at_year_end=_partners_at_year_end(fiscal_year),
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
        strategic_without_agreement=sum(r["bare"] for r in by_type),
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
