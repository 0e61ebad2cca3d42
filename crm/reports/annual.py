"""The annual partnership report's arithmetic: plain Python over grouped rows, no Django.

`compute_report` turns the rows the selector counted in the database into an `AnnualReport`;
`rows_from_records` derives the same rows from one record per object (tests and the benchmark).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crm.fiscal import fiscal_year_of, fy_bounds, fy_label, parse_fy

TREND_YEARS = 5
PROPOSED = "proposed"
WITHDRAWN = "withdrawn"
ENGAGEMENT_KINDS = ("engagement", "family_night")
WORKSHOP_KINDS = ("workshop",)
NONE_KEY = ""
FIRST_FY, LAST_FY = 1991, 2100


# ---- the rows the selector fetches ---------------------------------------------------------


@dataclass(frozen=True)
class PartnershipGroup:
    """Partnerships grouped by the fiscal years they start and end in.

    `ends_at_year_end` is true when the end date is June 30, the last day of its fiscal year.
    """

    strategic: bool
    start_fy: int
    end_fy: int | None
    ends_at_year_end: bool
    partnerships: int


@dataclass(frozen=True)
class PartnersAtYearEnd:
    """Distinct partner organizations with an active (strategic) partnership on June 30."""

    fiscal_year: int
    strategic_only: bool
    partners: int


@dataclass(frozen=True)
class GroupCount:
    """One group of a breakdown: `dimension` names the breakdown, `key` the group ('' = none)."""

    dimension: str
    key: str
    value: int


@dataclass(frozen=True)
class EventCount:
    fiscal_year: int
    kind: str
    events: int
    participants: int
    items: int


@dataclass(frozen=True)
class ReferralCount:
    fiscal_year: int
    status: str
    need: str
    referrals: int


@dataclass(frozen=True)
class ReportRows:
    """Everything the report needs, already counted; years are fiscal years (the ending year)."""

    partnership_groups: tuple[PartnershipGroup, ...]
    partners_at_year_end: tuple[PartnersAtYearEnd, ...]
    agreement_types: tuple[GroupCount, ...]
    schools_by_fy: Mapping[int, int]
    additional_schools: int
    school_groups: tuple[GroupCount, ...]
    events: tuple[EventCount, ...]
    referrals: tuple[ReferralCount, ...]
    individuals_by_fy: Mapping[int, int]
    funding_by_fy: Mapping[int, Decimal]
    breakdowns: tuple[GroupCount, ...]
    likely_duplicates: int
    likely_duplicates_counted: int
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Strategic partnerships active at year end with no signed agreement current on that day.
    strategic_without_agreement: int = 0


# ---- the definitions, one predicate each ---------------------------------------------------


def active_in_fy(start: date, end: date | None, fiscal_year: int) -> bool:
    first, last = fy_bounds(fiscal_year)
    return start <= last and (end is None or end >= first)


def active_at_year_end(start: date, end: date | None, fiscal_year: int) -> bool:
    # The end date is the last day a partnership is active, so ending on June 30 is still active.
    _, last = fy_bounds(fiscal_year)
    return start <= last and (end is None or end >= last)


def is_new(start: date, end: date | None, fiscal_year: int) -> bool:
    first, last = fy_bounds(fiscal_year)
    return first <= start <= last


def is_continuing(start: date, end: date | None, fiscal_year: int) -> bool:
    first, _ = fy_bounds(fiscal_year)
    return start < first and (end is None or end >= first)


def is_ended(start: date, end: date | None, fiscal_year: int) -> bool:
    first, last = fy_bounds(fiscal_year)
    return end is not None and first <= end <= last


@dataclass(frozen=True)
class PartnershipCount:
    """One fiscal year's partnership figures, derived from the groups."""

    active: int
    new: int
    continuing: int
    ended: int
    at_year_end: int
    partners_at_year_end: int


def _group_counts(g: PartnershipGroup, fy: int) -> tuple[bool, bool, bool, bool, bool]:
    """The definitions again, on fiscal years: (active, new, continuing, ended, at year end)."""
    open_at_start = g.end_fy is None or g.end_fy >= fy
    at_year_end = g.start_fy <= fy and (
        g.end_fy is None or g.end_fy > fy or (g.end_fy == fy and g.ends_at_year_end)
    )
    return (
        g.start_fy <= fy and open_at_start,
        g.start_fy == fy,
        g.start_fy < fy and open_at_start,
        g.end_fy == fy,
        at_year_end,
    )


def partnership_count(rows: ReportRows, fiscal_year: int, strategic_only: bool) -> PartnershipCount:
    totals = [0, 0, 0, 0, 0]
    for group in rows.partnership_groups:
        if strategic_only and not group.strategic:
            continue
        for i, hit in enumerate(_group_counts(group, fiscal_year)):
            totals[i] += group.partnerships if hit else 0
    partners = next(
        (
            p.partners
            for p in rows.partners_at_year_end
            if p.fiscal_year == fiscal_year and p.strategic_only == strategic_only
        ),
        0,
    )
    return PartnershipCount(*totals, partners)


def check_fiscal_year(text: str) -> int:
    """Read a fiscal year for a report; ValueError says what was wrong."""
    fiscal_year = parse_fy(text)
    if not FIRST_FY <= fiscal_year <= LAST_FY:
        raise ValueError(
            f"'{text}' is out of range: give a fiscal year between "
            f"{fy_label(FIRST_FY)} and {fy_label(LAST_FY)}."
        )
    return fiscal_year


def partner_years(fiscal_year: int) -> dict[int, tuple[bool, ...]]:
    """Which partners-at-year-end counts the report uses: the trend plus the year before it
    for strategic partners; every partner only for this year and the last."""
    return {
        fy: (True, False) if fy >= fiscal_year - 1 else (True,)
        for fy in range(fiscal_year - TREND_YEARS, fiscal_year + 1)
    }


def school_years(fiscal_year: int, baseline_fy: int) -> tuple[int, ...]:
    return tuple(sorted({*range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1), baseline_fy}))


DEFINITIONS = (
    "Fiscal year (FY): July 1 to June 30; FY 2024-25 runs 2024-07-01 to 2025-06-30.",
    "A partnership is active in a FY if it started on or before the FY's last day and has not "
    "ended before its first day. New: started within the FY. Continuing: started before the FY "
    "and active in it. Ended: ended within the FY. Active at year end: active on June 30. The end "
    "date is the last active day, so a partnership ending on June 30 is active at year end and "
    "also counts as ended in that FY. Proposed partnerships are not counted.",
    "Strategic partners: distinct partner organizations with at least one active strategic "
    "partnership at year end. Growth is the change against the previous FY in percent; it is "
    "undefined when the previous FY had none. The target is met when growth reaches the target.",
    "Strategic partnership agreements: strategic partnership records active at year end, "
    "counted the same way.",
    "Merged duplicates count once: records of a partner merged into another count for the "
    "surviving partner, and a merged-away partner is never counted itself.",
    "Community schools: distinct schools holding a CCSPP grant (not withdrawn) active in the FY, "
    "i.e. starting on or before its last day and ending on or after its first day. Additional "
    "schools: schools funded in the FY that were not funded in the baseline FY.",
    "Individuals referred: distinct pseudonymous student ids per school among referrals made in "
    "the FY. Engagement and support events include family nights. Items distributed: all events "
    "in the FY. Funding secured: funding recorded for the FY. Partnerships developed: new "
    "partnerships of any kind in the FY.",
    "Breakdowns count strategic partners at year end; a partner with several categories, focus "
    "groups or districts counts once in each.",
    "Data quality: open likely-duplicate pairs between live partners; where both partners are "
    "counted, the headline may be inflated by one per pair.",
)


# ---- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A labelled figure, with the previous FY's figure where the report compares years."""

    label: str
    value: int | Decimal
    previous: int | Decimal | None = None


@dataclass(frozen=True)
class Flow:
    label: str
    active: int
    new: int
    continuing: int
    ended: int
    at_year_end: int
    partners_at_year_end: int


@dataclass(frozen=True)
class EventLine:
    label: str
    events: int
    participants: int
    items: int


@dataclass(frozen=True)
class TrendPoint:
    fiscal_year: int
    label: str
    strategic_partners: int
    target_path: float | None
    growth_pct: float | None
    community_schools: int


@dataclass(frozen=True)
class AnnualReport:
    fiscal_year: int
    label: str
    period_start: date
    period_end: date
    strategic_partners: int
    strategic_partners_previous: int
    growth_pct: float | None
    growth_target_pct: float
    target_met: bool | None
    agreements: int
    agreements_previous: int
    agreements_growth_pct: float | None
    agreements_target_met: bool | None
    new: int
    continuing: int
    ended: int
    flows: tuple[Flow, ...]
    agreements_by_type: tuple[Line, ...]
    community_schools: int
    community_schools_previous: int
    community_schools_baseline: int
    baseline_fy: int
    baseline_label: str
    additional_schools: int
    schools_target: int
    schools_target_met: bool
    schools_by_grant_type: tuple[Line, ...]
    schools_by_cohort: tuple[Line, ...]
    individuals_referred: int
    individuals_referred_previous: int
    referrals: int
    referrals_by_status: tuple[Line, ...]
    referrals_by_need: tuple[Line, ...]
    engagement_events: int
    engagement_participants: int
    workshops: int
    workshop_participants: int
    items_distributed: int
    funding_secured: Decimal
    partnerships_developed: int
    impact: tuple[Line, ...]
    events_by_kind: tuple[EventLine, ...]
    by_partner_kind: tuple[Line, ...]
    by_service_category: tuple[Line, ...]
    by_equity_focus_group: tuple[Line, ...]
    by_district: tuple[Line, ...]
    trend: tuple[TrendPoint, ...]
    unresolved_likely_duplicates: int
    likely_duplicates_counted: int
    data_quality: str
    definitions: tuple[str, ...]
    strategic_without_agreement: int = 0


def growth(current: int, previous: int) -> float | None:
    """Percent change; None ('undefined') when there is nothing to grow from."""
    if not previous:
        return None
    return round((current - previous) * 100.0 / previous, 1)


def _met(growth_pct: float | None, target_pct: float) -> bool | None:
    return None if growth_pct is None else growth_pct >= target_pct


def _label(rows: ReportRows, dimension: str, key: str) -> str:
    if key == NONE_KEY:
        return "None recorded"
    if dimension == "cohort":
        return f"Cohort {key}"
    return rows.labels.get(dimension, {}).get(key, key)


def _lines(rows: ReportRows, groups: Iterable[GroupCount], dimension: str) -> tuple[Line, ...]:
    picked = [g for g in groups if g.dimension == dimension and g.value]
    if dimension == "cohort":
        picked.sort(key=lambda g: (int(g.key) if g.key.isdigit() else 10**9, g.key))
    else:
        # Largest first; the "none recorded" group last; names break ties for a stable order.
        picked.sort(key=lambda g: (g.key == NONE_KEY, -g.value, _label(rows, dimension, g.key)))
    return tuple(Line(_label(rows, dimension, g.key), g.value) for g in picked)


def _target_path(values: list[int], target_pct: float) -> list[float | None]:
    """Compound the target from the first year with any strategic partners."""
    anchor = next((i for i, v in enumerate(values) if v), None)
    if anchor is None:
        return [None] * len(values)
    rate = 1 + target_pct / 100.0
    return [
        None if i < anchor else round(values[anchor] * rate ** (i - anchor), 1)
        for i in range(len(values))
    ]


def compute_report(
    rows: ReportRows,
    *,
    fiscal_year: int,
    growth_target_pct: float,
    schools_target: int,
    baseline_fy: int,
) -> AnnualReport:
    def pc(fy: int, strategic_only: bool = True) -> PartnershipCount:
        return partnership_count(rows, fy, strategic_only)

    current, previous = pc(fiscal_year), pc(fiscal_year - 1)
    growth_pct = growth(current.partners_at_year_end, previous.partners_at_year_end)
    agreements_growth = growth(current.at_year_end, previous.at_year_end)

    flows = tuple(
        Flow(
            label=label,
            active=pc(fiscal_year, s).active,
            new=pc(fiscal_year, s).new,
            continuing=pc(fiscal_year, s).continuing,
            ended=pc(fiscal_year, s).ended,
            at_year_end=pc(fiscal_year, s).at_year_end,
            partners_at_year_end=pc(fiscal_year, s).partners_at_year_end,
        )
        for label, s in (("Strategic partnerships", True), ("All partnerships", False))
    )

    schools = rows.schools_by_fy
    community_schools = schools.get(fiscal_year, 0)

    events = defaultdict(lambda: [0, 0, 0])
    for e in rows.events:
        bucket = events[(e.fiscal_year, e.kind)]
        bucket[0] += e.events
        bucket[1] += e.participants
        bucket[2] += e.items

    def event_sum(fy: int, kinds: Iterable[str] | None, index: int) -> int:
        return sum(
            v[index] for (y, k), v in events.items() if y == fy and (kinds is None or k in kinds)
        )

    status_totals: dict[str, int] = defaultdict(int)
    need_totals: dict[str, int] = defaultdict(int)
    referrals_by_fy: dict[int, int] = defaultdict(int)
    for r in rows.referrals:
        referrals_by_fy[r.fiscal_year] += r.referrals
        if r.fiscal_year == fiscal_year:
            status_totals[r.status] += r.referrals
            need_totals[r.need] += r.referrals

    def figures(fy: int) -> dict[str, int | Decimal]:
        return {
            "Individuals referred to services": rows.individuals_by_fy.get(fy, 0),
            "Referrals made": referrals_by_fy.get(fy, 0),
            "Engagement and support events": event_sum(fy, ENGAGEMENT_KINDS, 0),
            "Engagement and support event participants": event_sum(fy, ENGAGEMENT_KINDS, 1),
            "Workshops and trainings": event_sum(fy, WORKSHOP_KINDS, 0),
            "Workshop and training participants": event_sum(fy, WORKSHOP_KINDS, 1),
            "Items distributed": event_sum(fy, None, 2),
            "Funding secured ($)": rows.funding_by_fy.get(fy, Decimal("0")),
            "Partnerships developed": pc(fy, False).new,
        }

    now, before = figures(fiscal_year), figures(fiscal_year - 1)
    impact = tuple(Line(label, value, before[label]) for label, value in now.items())

    kinds = sorted({k for (y, k) in events if y == fiscal_year})
    events_by_kind = tuple(
        EventLine(_label(rows, "event_kind", k), *events[(fiscal_year, k)])
        for k in kinds
        if events[(fiscal_year, k)][0]
    )

    def dict_lines(totals: Mapping[str, int], dimension: str) -> tuple[Line, ...]:
        groups = [GroupCount(dimension, k, v) for k, v in totals.items()]
        return _lines(rows, groups, dimension)

    trend_years = list(range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1))
    values = [pc(y).partners_at_year_end for y in trend_years]
    path = _target_path(values, growth_target_pct)
    trend = tuple(
        TrendPoint(
            fiscal_year=y,
            label=f"FY {fy_label(y)}",
            strategic_partners=v,
            target_path=p,
            growth_pct=growth(v, pc(y - 1).partners_at_year_end),
            community_schools=schools.get(y, 0),
        )
        for y, v, p in zip(trend_years, values, path, strict=True)
    )

    if rows.likely_duplicates:
        data_quality = (
            f"{rows.likely_duplicates} unresolved likely-duplicate partner pair(s); "
            f"{rows.likely_duplicates_counted} of them have both partners among the strategic "
            "partners counted, which could inflate the headline by as many."
        )
    else:
        data_quality = "No unresolved likely-duplicate partner pairs."
    if rows.strategic_without_agreement:
        data_quality += (
            f" {rows.strategic_without_agreement} strategic partnership(s) active at year end "
            "run without a current signed agreement on file."
        )

    first, last = fy_bounds(fiscal_year)
    return AnnualReport(
        fiscal_year=fiscal_year,
        label=f"FY {fy_label(fiscal_year)}",
        period_start=first,
        period_end=last,
        strategic_partners=current.partners_at_year_end,
        strategic_partners_previous=previous.partners_at_year_end,
        growth_pct=growth_pct,
        growth_target_pct=float(growth_target_pct),
        target_met=_met(growth_pct, growth_target_pct),
        agreements=current.at_year_end,
        agreements_previous=previous.at_year_end,
        agreements_growth_pct=agreements_growth,
        agreements_target_met=_met(agreements_growth, growth_target_pct),
        new=current.new,
        continuing=current.continuing,
        ended=current.ended,
        flows=flows,
        agreements_by_type=_lines(rows, rows.agreement_types, "agreement_type"),
        community_schools=community_schools,
        community_schools_previous=schools.get(fiscal_year - 1, 0),
        community_schools_baseline=schools.get(baseline_fy, 0),
        baseline_fy=baseline_fy,
        baseline_label=f"FY {fy_label(baseline_fy)}",
        additional_schools=rows.additional_schools,
        schools_target=schools_target,
        schools_target_met=rows.additional_schools >= schools_target,
        schools_by_grant_type=_lines(rows, rows.school_groups, "grant_type"),
        schools_by_cohort=_lines(rows, rows.school_groups, "cohort"),
        individuals_referred=int(now["Individuals referred to services"]),
        individuals_referred_previous=int(before["Individuals referred to services"]),
        referrals=referrals_by_fy.get(fiscal_year, 0),
        referrals_by_status=dict_lines(status_totals, "referral_status"),
        referrals_by_need=dict_lines(need_totals, "need"),
        engagement_events=event_sum(fiscal_year, ENGAGEMENT_KINDS, 0),
        engagement_participants=event_sum(fiscal_year, ENGAGEMENT_KINDS, 1),
        workshops=event_sum(fiscal_year, WORKSHOP_KINDS, 0),
        workshop_participants=event_sum(fiscal_year, WORKSHOP_KINDS, 1),
        items_distributed=event_sum(fiscal_year, None, 2),
        funding_secured=Decimal(rows.funding_by_fy.get(fiscal_year, Decimal("0"))),
        partnerships_developed=pc(fiscal_year, False).new,
        impact=impact,
        events_by_kind=events_by_kind,
        by_partner_kind=_lines(rows, rows.breakdowns, "partner_kind"),
        by_service_category=_lines(rows, rows.breakdowns, "service_category"),
        by_equity_focus_group=_lines(rows, rows.breakdowns, "equity_focus_group"),
        by_district=_lines(rows, rows.breakdowns, "district"),
        trend=trend,
        unresolved_likely_duplicates=rows.likely_duplicates,
        likely_duplicates_counted=rows.likely_duplicates_counted,
        data_quality=data_quality,
        definitions=DEFINITIONS,
        strategic_without_agreement=rows.strategic_without_agreement,
    )


# ---- the same rows from one record per object (reference path) -----------------------------


@dataclass(frozen=True)
class PartnershipRecord:
    partner_key: int  # the surviving partner's id: merged-away partners resolved already
    start: date
    end: date | None
    strategic: bool
    agreement_type: str = "informal"
    status: str = "active"


@dataclass(frozen=True)
class PartnerRecord:
    key: int
    kind: str
    service_categories: tuple[str, ...] = ()
    equity_focus_groups: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class GrantRecord:
    school_id: int
    grant_type: str
    cohort: int
    start: date
    end: date
    status: str = "active"


@dataclass(frozen=True)
class EventRecord:
    day: date
    kind: str
    participants: int = 0
    items: int = 0


@dataclass(frozen=True)
class ReferralRecord:
    day: date
    school_id: int
    student_ref: str
    status: str
    need: str


@dataclass(frozen=True)
class FundingRecord:
    fiscal_year: int
    amount: Decimal


@dataclass(frozen=True)
class DuplicatePairRecord:
    left_key: int
    right_key: int


def rows_from_records(
    *,
    fiscal_year: int,
    baseline_fy: int,
    partnerships: Iterable[PartnershipRecord] = (),
    partners: Iterable[PartnerRecord] = (),
    grants: Iterable[GrantRecord] = (),
    events: Iterable[EventRecord] = (),
    referrals: Iterable[ReferralRecord] = (),
    funding: Iterable[FundingRecord] = (),
    duplicate_pairs: Iterable[DuplicatePairRecord] = (),
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> ReportRows:
    """Apply the definitions record by record: the reference the grouped queries must match."""
    counted = [p for p in partnerships if p.status != PROPOSED]
    groups: dict[tuple[bool, int, int | None, bool], int] = defaultdict(int)
    for p in counted:
        end_fy = fiscal_year_of(p.end) if p.end else None
        groups[
            (
                p.strategic,
                fiscal_year_of(p.start),
                end_fy,
                bool(p.end) and p.end == fy_bounds(end_fy)[1],
            )
        ] += 1
    partner_counts = [
        PartnersAtYearEnd(
            fy,
            strategic_only,
            len(
                {
                    p.partner_key
                    for p in counted
                    if (p.strategic or not strategic_only)
                    and active_at_year_end(p.start, p.end, fy)
                }
            ),
        )
        for fy, scopes in partner_years(fiscal_year).items()
        for strategic_only in scopes
    ]
    year_end = [
        p for p in counted if p.strategic and active_at_year_end(p.start, p.end, fiscal_year)
    ]
    keys = {p.partner_key for p in year_end}
    agreement_types: dict[str, int] = defaultdict(int)
    for p in year_end:
        agreement_types[p.agreement_type] += 1

    breakdowns: dict[tuple[str, str], int] = defaultdict(int)
    for partner in partners:
        if partner.key not in keys:
            continue
        breakdowns[("partner_kind", partner.kind)] += 1
        for dimension, names in (
            ("service_category", partner.service_categories),
            ("equity_focus_group", partner.equity_focus_groups),
            ("district", partner.districts),
        ):
            for name in set(names) or {NONE_KEY}:
                breakdowns[(dimension, name)] += 1

    live_grants = [g for g in grants if g.status != WITHDRAWN]

    def funded(fy: int) -> set[int]:
        first, last = fy_bounds(fy)
        return {g.school_id for g in live_grants if g.start <= last and g.end >= first}

    schools_by_fy = {fy: len(funded(fy)) for fy in school_years(fiscal_year, baseline_fy)}
    school_groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    first, last = fy_bounds(fiscal_year)
    for g in live_grants:
        if g.start <= last and g.end >= first:
            school_groups[("grant_type", g.grant_type)].add(g.school_id)
            school_groups[("cohort", str(g.cohort))].add(g.school_id)

    years = (fiscal_year - 1, fiscal_year)
    event_totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in events:
        fy = fiscal_year_of(e.day)
        if fy in years:
            bucket = event_totals[(fy, e.kind)]
            bucket[0] += 1
            bucket[1] += e.participants
            bucket[2] += e.items

    referral_totals: dict[tuple[int, str, str], int] = defaultdict(int)
    individuals: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for r in referrals:
        fy = fiscal_year_of(r.day)
        if fy in years:
            referral_totals[(fy, r.status, r.need)] += 1
            individuals[fy].add((r.school_id, r.student_ref))

    funding_by_fy: dict[int, Decimal] = defaultdict(Decimal)
    for f in funding:
        if f.fiscal_year in years:
            funding_by_fy[f.fiscal_year] += f.amount

    pairs = list(duplicate_pairs)
    return ReportRows(
        partnership_groups=tuple(PartnershipGroup(*key, n) for key, n in groups.items()),
        partners_at_year_end=tuple(partner_counts),
        agreement_types=tuple(
            GroupCount("agreement_type", k, v) for k, v in agreement_types.items()
        ),
        schools_by_fy=schools_by_fy,
        additional_schools=len(funded(fiscal_year) - funded(baseline_fy)),
        school_groups=tuple(GroupCount(d, k, len(v)) for (d, k), v in school_groups.items()),
        events=tuple(EventCount(fy, k, *v) for (fy, k), v in event_totals.items()),
        referrals=tuple(ReferralCount(*key, n) for key, n in referral_totals.items()),
        individuals_by_fy={fy: len(v) for fy, v in individuals.items()},
        funding_by_fy=dict(funding_by_fy),
        breakdowns=tuple(GroupCount(d, k, v) for (d, k), v in breakdowns.items()),
        likely_duplicates=len(pairs),
        likely_duplicates_counted=sum(p.left_key in keys and p.right_key in keys for p in pairs),
        labels=labels or {},
    )
