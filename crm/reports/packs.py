"""CCSPP progress packs: plain arithmetic over per-school rows, no Django.

A pack covers one school, one district (LEA) or the county for a fiscal year. Every additive
figure of a larger pack is the sum of its schools' figures, so the levels agree by construction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from crm.reports.annual import ENGAGEMENT_KINDS, WORKSHOP_KINDS

SUPPRESS_BELOW = 11
SUPPRESSED = "fewer than 11"
COMPLETED = "completed"
OPEN_STATUSES = ("referred", "accepted", "in_service")


@dataclass(frozen=True)
class GrantLine:
    grant_type: str
    cohort: int
    amount: Decimal


@dataclass(frozen=True)
class EventLine:
    kind: str
    events: int
    participants: int
    items: int


@dataclass(frozen=True)
class ReferralLine:
    need: str
    status: str
    referrals: int


@dataclass(frozen=True)
class NeedLine:
    category: str  # the category's name, or "" for a need described in words only
    description: str
    priority: str
    source: str
    met: bool | None  # None: a need with no category cannot be matched to partners


@dataclass(frozen=True)
class AssetLine:
    kind: str
    name: str


@dataclass(frozen=True)
class SchoolRows:
    """Everything a pack needs about one school in one fiscal year, counted in the database."""

    school_id: int
    cds_code: str
    name: str
    district_cds: str
    district_name: str
    grants: tuple[GrantLine, ...] = ()
    events: tuple[EventLine, ...] = ()
    referrals: tuple[ReferralLine, ...] = ()
    individuals: int = 0
    funding: Decimal = Decimal("0")
    partners: tuple[str, ...] = ()
    partnerships: int = 0
    event_pillars: tuple[tuple[str, int], ...] = ()
    partnership_pillars: tuple[tuple[str, int], ...] = ()
    service_pillars: tuple[tuple[str, int], ...] = ()
    needs: tuple[NeedLine, ...] = ()
    assets: tuple[AssetLine, ...] = ()


@dataclass(frozen=True)
class Figures:
    """The additive figures of a pack; a larger pack's figures are the sum of its schools'."""

    funded_schools: int = 0
    grant_amount: Decimal = Decimal("0")
    funding_secured: Decimal = Decimal("0")
    events: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    referrals_by_need: dict[str, int] = field(default_factory=dict)
    referrals_by_status: dict[str, int] = field(default_factory=dict)
    individuals: int = 0
    partnerships: int = 0
    event_pillars: dict[str, int] = field(default_factory=dict)
    partnership_pillars: dict[str, int] = field(default_factory=dict)
    service_pillars: dict[str, int] = field(default_factory=dict)
    needs: int = 0
    needs_unmet: int = 0
    assets: int = 0

    @property
    def referrals(self) -> int:
        return sum(self.referrals_by_need.values())

    @property
    def completed(self) -> int:
        return self.referrals_by_status.get(COMPLETED, 0)

    @property
    def still_open(self) -> int:
        return sum(self.referrals_by_status.get(s, 0) for s in OPEN_STATUSES)

    @property
    def closed_without_service(self) -> int:
        return self.referrals - self.completed - self.still_open

    def event_total(self, kinds: Iterable[str] | None, index: int) -> int:
        return sum(v[index] for k, v in self.events.items() if kinds is None or k in kinds)

    @property
    def engagement_events(self) -> int:
        return self.event_total(ENGAGEMENT_KINDS, 0)

    @property
    def engagement_participants(self) -> int:
        return self.event_total(ENGAGEMENT_KINDS, 1)

    @property
    def workshops(self) -> int:
        return self.event_total(WORKSHOP_KINDS, 0)

    @property
    def workshop_participants(self) -> int:
        return self.event_total(WORKSHOP_KINDS, 1)

    @property
    def items_distributed(self) -> int:
        return self.event_total(None, 2)


def _add(target: dict, key, value) -> None:
    target[key] = target.get(key, 0) + value


def referrals_by_pillar(
    referrals: Iterable[ReferralLine], need_pillars: dict[str, tuple[str, ...]]
) -> tuple[tuple[str, int], ...]:
    """Referrals counted under each pillar of the services that meet their need: once per
    pillar, however many of the need's service categories share it; needs with none count
    nowhere."""
    counts: dict[str, int] = {}
    for line in referrals:
        for code in set(need_pillars.get(line.need, ())):
            _add(counts, code, line.referrals)
    return tuple(sorted(counts.items()))


def school_figures(rows: SchoolRows) -> Figures:
    events: dict[str, tuple[int, int, int]] = {}
    for e in rows.events:
        old = events.get(e.kind, (0, 0, 0))
        events[e.kind] = (old[0] + e.events, old[1] + e.participants, old[2] + e.items)
    by_need: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for r in rows.referrals:
        _add(by_need, r.need, r.referrals)
        _add(by_status, r.status, r.referrals)
    return Figures(
        funded_schools=1 if rows.grants else 0,
        grant_amount=sum((g.amount for g in rows.grants), Decimal("0")),
        funding_secured=rows.funding,
        events=events,
        referrals_by_need=by_need,
        referrals_by_status=by_status,
        individuals=rows.individuals,
        partnerships=rows.partnerships,
        event_pillars=dict(rows.event_pillars),
        partnership_pillars=dict(rows.partnership_pillars),
        service_pillars=dict(rows.service_pillars),
        needs=len(rows.needs),
        needs_unmet=sum(1 for n in rows.needs if n.met is False),
        assets=len(rows.assets),
    )


def sum_figures(parts: Iterable[Figures]) -> Figures:
    """Figures of several schools together: every field is a sum."""
    events: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    dicts: dict[str, dict[str, int]] = {
        "referrals_by_need": {},
        "referrals_by_status": {},
        "event_pillars": {},
        "partnership_pillars": {},
        "service_pillars": {},
    }
    totals = {
        "funded_schools": 0,
        "grant_amount": Decimal("0"),
        "funding_secured": Decimal("0"),
        "individuals": 0,
        "partnerships": 0,
        "needs": 0,
        "needs_unmet": 0,
        "assets": 0,
    }
    for part in parts:
        for kind, values in part.events.items():
            for i, v in enumerate(values):
                events[kind][i] += v
        for name, target in dicts.items():
            for key, value in getattr(part, name).items():
                _add(target, key, value)
        for name in totals:
            totals[name] += getattr(part, name)
    return Figures(events={k: tuple(v) for k, v in events.items()}, **dicts, **totals)


@dataclass(frozen=True)
class ProgressPack:
    """A pack for one school, a district or the county; `schools` are its per-school rows."""

    scope: str  # "school", "district" or "county"
    label: str
    code: str
    fiscal_year: int
    schools: tuple[SchoolRows, ...]
    pillar_names: dict[str, str] = field(default_factory=dict)
    need_pillars: dict[str, tuple[str, ...]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def figures(self) -> Figures:
        return sum_figures(school_figures(s) for s in self.schools)

    @property
    def partners(self) -> tuple[str, ...]:
        """Distinct partner organizations serving any of the schools (not additive)."""
        return tuple(sorted({p for s in self.schools for p in s.partners}, key=str.casefold))

    def needs_of_pillar(self, code: str) -> tuple[str, ...]:
        """The referral needs whose services count under a pillar, in need order."""
        return tuple(need for need, codes in self.need_pillars.items() if code in codes)

    def label_of(self, dimension: str, key: str) -> str:
        return self.labels.get(dimension, {}).get(key, key or "(none)")


def suppress(value: int) -> int | str:
    """A count of people or referrals as a pack may show it: 1 to 10 become "fewer than 11"."""
    return SUPPRESSED if 0 < value < SUPPRESS_BELOW else value
