"""The demo as plain data: one seeded random.Random and a fixed "today" decide every row.

No database here: the caller passes the reference schools in, crm.services.demo writes the plan.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from crm.dedup.index import MatchIndex
from crm.dedup.record import Record
from crm.dedup.score import LIKELY
from crm.demo.ccspp import (
    OPEN_STEPS,
    AgreementSpec,
    AssetSpec,
    NeedSpec,
    agreements,
    event_pillars,
    linked_referrals,
    needs_and_assets,
    partnership_pillars,
)
from crm.demo.names import (
    CITIES,
    CONTACT_ROLES,
    COUNTY_DEPARTMENTS,
    DESCRIPTIONS,
    DESCRIPTIONS_ES,
    EIN_PREFIXES,
    FIRST_NAMES,
    KIND_WEIGHTS,
    PLACES,
    SAINTS,
    SURNAMES,
    TEMPLATES,
    WORDS,
    WORDS_ES,
    Place,
    services_es,
)
from crm.demo.service_details import ServiceDetails, partner_service_details
from crm.fiscal import fiscal_year_of, fy_bounds

DEMO_TODAY = dt.date(2026, 11, 24)
DEMO_SEED = 20261124
FIRST_FY, LAST_FY = 2020, 2026  # FY 2019-20 .. FY 2025-26
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Size:
    partners: int
    near_duplicates: int
    # Active strategic partnerships per fiscal year FIRST_FY..LAST_FY: the +20% goal, some misses.
    strategic_active: tuple[int, ...]
    strategic_ended_per_year: int
    other_partnerships: int
    # CCSPP schools: cohort 1 implementation, planning only (ended), planning then implementation,
    # cohort 1 starting a year later, cohort 2, cohort 3.
    grant_groups: tuple[int, int, int, int, int, int]
    events_per_school_year: tuple[int, int]
    referrals: int
    touchpoints_per_partner: tuple[int, int]
    follow_ups_due: int
    funding: int


SIZES = {
    "full": Size(
        partners=300,
        near_duplicates=10,
        strategic_active=(20, 23, 28, 34, 39, 49, 60),
        strategic_ended_per_year=2,
        other_partnerships=170,
        grant_groups=(45, 15, 12, 13, 60, 58),
        events_per_school_year=(2, 5),
        referrals=1200,
        touchpoints_per_partner=(2, 6),
        follow_ups_due=30,
        funding=120,
    ),
    "small": Size(
        partners=40,
        near_duplicates=3,
        strategic_active=(4, 5, 6, 7, 8, 10, 12),
        strategic_ended_per_year=1,
        other_partnerships=12,
        grant_groups=(5, 2, 2, 2, 6, 6),
        events_per_school_year=(1, 2),
        referrals=60,
        touchpoints_per_partner=(1, 3),
        follow_ups_due=6,
        funding=12,
    ),
}


@dataclass(frozen=True)
class SchoolRef:
    cds_code: str
    district_cds_code: str
    name: str
    lat: float | None
    lon: float | None


@dataclass
class PartnerSpec:
    key: int
    name: str
    kind: str
    place: str
    website: str = ""
    ein: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    zip: str = ""
    status: str = "active"
    published: bool = False
    description: str = ""
    description_es: str = ""
    public_email: str = ""
    public_phone: str = ""
    categories: list[str] = field(default_factory=list)
    focus_groups: list[str] = field(default_factory=list)
    district_codes: list[str] = field(default_factory=list)
    school_codes: list[str] = field(default_factory=list)
    duplicate_of: int | None = None
    services: ServiceDetails = field(default_factory=ServiceDetails)


@dataclass
class ContactSpec:
    partner: int
    name: str
    role: str
    email: str
    phone: str
    is_public: bool


@dataclass
class PartnershipSpec:
    partner: int
    title: str
    scope: str
    start_date: dt.date
    end_date: dt.date | None
    status: str
    strategic: bool
    agreement_type: str
    lead: str
    district_codes: list[str]
    school_codes: list[str]


@dataclass
class TouchpointSpec:
    partner: int
    occurred_on: dt.date
    channel: str
    summary: str
    next_step: str
    follow_up_on: dt.date | None
    follow_up_done: bool
    staff: str


@dataclass
class GrantSpec:
    school: str
    grant_type: str
    cohort: int
    amount: int
    start_date: dt.date
    end_date: dt.date
    status: str


@dataclass
class EventSpec:
    school: str
    kind: str
    title: str
    date: dt.date
    participants: int
    items_distributed: int
    partners: list[int]
    recorded_by: str | None


@dataclass
class ReferralSpec:
    school: str
    partner: int
    student_ref: str
    grade: str
    need_category: str
    referred_on: dt.date
    consent_on_file: bool
    contact_preference: str
    follow_up_on: dt.date | None
    # (from, to, on, reason) after the initial "referred"
    history: list[tuple[str, str, dt.date, str]]
    outcome: str
    referred_by: str | None


@dataclass
class FundingSpec:
    source: str
    partner: int | None
    amount: int
    fiscal_year: int
    received_on: dt.date
    supports: str
    school: str | None


@dataclass
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    password: str
    superuser: bool = False
    school_codes: list[str] = field(default_factory=list)


@dataclass
class DemoPlan:
    today: dt.date
    users: list[UserSpec] = field(default_factory=list)
    partners: list[PartnerSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    partnerships: list[PartnershipSpec] = field(default_factory=list)
    touchpoints: list[TouchpointSpec] = field(default_factory=list)
    grants: list[GrantSpec] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)
    referrals: list[ReferralSpec] = field(default_factory=list)
    funding: list[FundingSpec] = field(default_factory=list)
    needs: list[NeedSpec] = field(default_factory=list)
    assets: list[AssetSpec] = field(default_factory=list)
    event_pillars: list[tuple[int, str]] = field(default_factory=list)
    partnership_pillars: list[tuple[int, str]] = field(default_factory=list)
    agreements: list[AgreementSpec] = field(default_factory=list)
    linked_referrals: list[int] = field(default_factory=list)


# The demo logins (role is a crm.roles group name; passwords are printed by load_demo).
DEMO_USERS = (
    ("ana", "Ana", "Reyes", "Administrators", "demo-ana-2026", True),
    ("pat", "Pat", "Okafor", "Partnership staff", "demo-pat-2026", False),
    ("cora", "Cora", "Jimenez", "Site coordinators", "demo-cora-2026", False),
    ("lee", "Lee", "Washington", "Leadership", "demo-lee-2026", False),
)

EVENT_TITLES = {
    "engagement": ("Coffee with the principal", "Community resource fair", "Wellness day"),
    "workshop": (
        "Parent workshop: college and career pathways",
        "Teacher training: trauma-informed practices",
        "Know your rights workshop",
        "Digital literacy class for parents",
    ),
    "distribution": (
        "Back-to-school backpack distribution",
        "Holiday food distribution",
        "Winter coat drive",
        "Weekly produce pantry",
    ),
    "family_night": ("Family literacy night", "Family math night", "Cultural heritage night"),
    "other": ("Campus beautification day", "Vision screening"),
}
EVENT_KINDS = (("engagement", 30), ("workshop", 30), ("distribution", 20), ("family_night", 15))
NEEDS_BY_CATEGORY = {
    "mental-health": "mental_health",
    "health": "physical_health",
    "food-security": "food",
    "housing": "housing",
    "legal": "legal",
    "academic-support": "tutoring",
    "basic-needs": "clothing",
    "family-engagement": "family",
}
TOUCHPOINT_SUMMARIES = (
    "Met to plan the spring resource fair at two community schools.",
    "Call about renewing the MOU for next school year.",
    "Shared the referral form and intake hours with the site coordinators.",
    "Discussed data-sharing agreement terms for attendance outcomes.",
    "Follow-up on volunteer tutors for the after-school program.",
    "Quarterly check-in on services delivered and open referrals.",
    "Introduced their new program director to the community schools team.",
    "Talked about expanding mental health services to more campuses.",
)
NEXT_STEPS = (
    "Send the draft MOU",
    "Schedule a site visit",
    "Share the event calendar",
    "Confirm staffing for the fair",
    "Collect the quarterly service numbers",
)
FUNDING_SOURCES = (
    ("California Community Schools Partnership Program", "Community school coordinators"),
    ("Title IV-A Student Support and Academic Enrichment", "Enrichment and family engagement"),
    ("LA County Measure J care first funds", "Youth development and diversion"),
    ("Expanded Learning Opportunities Program", "After-school and summer programs"),
)
FUNDING_USES = (
    "Family resource centers",
    "Mental health services",
    "Food distribution",
    "After-school tutoring",
    "Parent leadership academy",
    "Summer arts program",
)


class _Plan:
    def __init__(self, *, seed: int, today: dt.date, size: Size, schools, categories, groups):
        self.rng = random.Random(seed)
        self.today = today
        self.size = size
        self.schools = sorted(schools, key=lambda s: s.cds_code)
        self.by_code = {s.cds_code: s for s in self.schools}
        self.categories = sorted(categories)
        self.groups = sorted(groups)
        self.plan = DemoPlan(today=today)
        self.index = MatchIndex()
        self.used_names: set[str] = set()
        self.used_phones: set[str] = set()
        self.used_eins: set[str] = set()
        self.used_refs: set[str] = set()

    # --- small helpers -------------------------------------------------------------------------
    def day(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.today)
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def weighted(self, pairs):
        return self.rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]

    def phone(self, area: str) -> str:
        while True:
            number = f"({area}) 555-{self.rng.randint(0, 9999):04d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def ein(self) -> str:
        while True:
            ein = f"{self.rng.choice(EIN_PREFIXES)}-{self.rng.randint(1000000, 9999999)}"
            if ein not in self.used_eins:
                self.used_eins.add(ein)
                return ein

    def nearest_schools(self, place: Place, n: int) -> list[SchoolRef]:
        def distance(s: SchoolRef) -> float:
            if s.lat is None or s.lon is None:
                return math.inf
            return (s.lat - place.lat) ** 2 + ((s.lon - place.lon) * 0.83) ** 2

        return sorted(self.schools, key=lambda s: (distance(s), s.cds_code))[:n]

    # --- partners ------------------------------------------------------------------------------
    def partner_name(self, kind: str, place: Place) -> tuple[str, tuple[str, ...]]:
        template, categories = self.rng.choice(TEMPLATES[kind])
        name = template.format(
            place=place.name,
            word=self.rng.choice(WORDS),
            word_es=self.rng.choice(WORDS_ES),
            saint=self.rng.choice(SAINTS),
            surname=self.rng.choice(SURNAMES),
        )
        return name, categories

    def accept_name(self, key: int, name: str, website: str) -> bool:
        """A new name must not look like an earlier one: only the planted pairs may match."""
        if name.casefold() in self.used_names:
            return False
        probe = Record(id=key, name=name, website=website)
        if any(m.level == LIKELY for m in self.index.query(probe, limit=3)):
            return False
        self.used_names.add(name.casefold())
        self.index.add(probe)
        return True

    def add_partner(self, key: int, name: str, kind: str, place: Place, categories, domain: str):
        rng = self.rng
        number = rng.randint(100, 19999)
        spec = PartnerSpec(
            key=key,
            name=name,
            kind=kind,
            place=place.name,
            website=f"https://www.{domain}.example",
            ein=self.ein() if kind != "faith" or rng.random() < 0.5 else "",
            phone=self.phone(place.area_code),
            street=f"{number} {rng.choice(place.streets)}",
            city=place.city,
            zip=rng.choice(place.zips),
        )
        spec.status = self.weighted((("active", 87), ("inactive", 8), ("prospect", 5)))
        spec.categories = [c for c in categories if c in self.categories]
        if rng.random() < 0.4 and self.categories:
            extra = rng.choice(self.categories)
            if extra not in spec.categories:
                spec.categories.append(extra)
        if self.groups:
            spec.focus_groups = rng.sample(self.groups, k=min(len(self.groups), rng.randint(1, 3)))
        if kind in ("county", "philanthropy"):
            districts = sorted({s.district_cds_code for s in self.schools})
            spec.district_codes = rng.sample(districts, k=min(len(districts), rng.randint(2, 6)))
        else:
            near = self.nearest_schools(place, 25)
            chosen = rng.sample(near, k=min(len(near), rng.randint(2, 8)))
            spec.school_codes = sorted(s.cds_code for s in chosen)
            spec.district_codes = sorted({s.district_cds_code for s in chosen})
        if spec.status == "active" and rng.random() < 0.66:
            spec.published = True
            services = ", ".join(c.replace("-", " ") for c in spec.categories[:3]) or "support"
            template = rng.choice(DESCRIPTIONS[kind])
            spec.description = template.format(place=place.name, services=services)
            spec.public_email = f"info@{domain}.example"
            spec.public_phone = spec.phone
            if rng.random() < 0.45:
                template_es = rng.choice(DESCRIPTIONS_ES["default"])
                spec.description_es = template_es.format(
                    place=place.name, services=services_es(spec.categories)
                )
        self.plan.partners.append(spec)
        return spec

    def partners(self) -> None:
        size, rng = self.size, self.rng
        county = COUNTY_DEPARTMENTS[: max(2, size.partners // 30)]
        for name, domain, categories in county:
            key = len(self.plan.partners)
            self.accept_name(key, name, f"{domain}.example")
            self.add_partner(key, name, "county", _LA, categories, domain)
        cities = [p for p in PLACES if p.name in CITIES]
        attempts = 0
        while len(self.plan.partners) < size.partners - size.near_duplicates:
            attempts += 1
            if attempts > size.partners * 50:
                raise RuntimeError("The demo name parts cannot make enough distinct names.")
            kind = self.weighted(KIND_WEIGHTS)
            place = rng.choice(cities if kind == "city" else PLACES)
            name, categories = self.partner_name(kind, place)
            domain = _domain(name)
            key = len(self.plan.partners)
            if self.accept_name(key, name, f"{domain}.example"):
                self.add_partner(key, name, kind, place, categories, domain)
        self.near_duplicates()

    def near_duplicates(self) -> None:
        """Plant partners that a person would recognise as the same organization."""
        rng = self.rng
        originals = [p for p in self.plan.partners if p.status == "active"]
        rng.shuffle(originals)
        planted = 0
        taken = {p.name for p in self.plan.partners}
        for original in originals:
            if planted >= self.size.near_duplicates:
                break
            variant = _variant(original.name, planted)
            if not variant or variant in taken:
                continue
            shares_site = planted % 2 == 0
            probe = Record(
                id=-1,
                name=variant,
                website=original.website if shares_site else "",
            )
            if not any(m.id == original.key for m in self.index.query(probe, limit=5)):
                continue
            taken.add(variant)
            place = next(p for p in [*PLACES, _LA] if p.name == original.place)
            spec = PartnerSpec(
                key=len(self.plan.partners),
                name=variant,
                kind=original.kind,
                place=original.place,
                website=original.website if shares_site else "",
                phone=original.phone if planted % 3 == 0 else self.phone(place.area_code),
                street=original.street if planted % 2 == 1 else "",
                city=original.city,
                zip=original.zip,
                categories=original.categories[:1],
                duplicate_of=original.key,
            )
            self.plan.partners.append(spec)
            planted += 1

    def live_partners(self, *kinds: str) -> list[PartnerSpec]:
        return [
            p
            for p in self.plan.partners
            if p.duplicate_of is None and p.status != "prospect" and (not kinds or p.kind in kinds)
        ]

    # --- people --------------------------------------------------------------------------------
    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)

    def contacts(self) -> None:
        rng = self.rng
        for partner in self.plan.partners:
            domain = partner.website.split("www.", 1)[-1] if partner.website else "mail.example"
            count = 1 if partner.duplicate_of is not None else rng.randint(1, 3)
            for n in range(count):
                first, last = self.person()
                area = partner.phone[1:4] if partner.phone else "213"
                self.plan.contacts.append(
                    ContactSpec(
                        partner=partner.key,
                        name=f"{first} {last}",
                        role=rng.choice(CONTACT_ROLES),
                        email=f"{first.lower()}.{last.lower()}@{domain}".replace(" ", ""),
                        phone=self.phone(area),
                        is_public=partner.published and n == 0 and rng.random() < 0.5,
                    )
                )

    def users(self, cora_schools: list[str]) -> None:
        for username, first, last, role, password, superuser in DEMO_USERS:
            self.plan.users.append(
                UserSpec(
                    username=username,
                    first_name=first,
                    last_name=last,
                    role=role,
                    password=password,
                    superuser=superuser,
                    school_codes=cora_schools if username == "cora" else [],
                )
            )

    # --- partnerships ----------------------------------------------------------------------------
    def partnership(self, partner: PartnerSpec, fy: int, *, strategic: bool) -> PartnershipSpec:
        start = self.day(*fy_bounds(fy))
        if partner.kind in ("county", "philanthropy", "higher_ed"):
            scope = "countywide"
        else:
            scope = self.weighted((("schools", 60), ("districts", 30), ("countywide", 10)))
        agreement = (
            self.weighted((("mou", 55), ("data_sharing", 20), ("contract", 25)))
            if strategic
            else self.weighted((("informal", 50), ("mou", 35), ("contract", 15)))
        )
        topic = partner.categories[0].replace("-", " ") if partner.categories else "services"
        return PartnershipSpec(
            partner=partner.key,
            title=f"{partner.name}: {topic} at community schools",
            scope=scope,
            start_date=start,
            end_date=None,
            status="active",
            strategic=strategic,
            agreement_type=agreement,
            lead=self.weighted((("pat", 80), ("ana", 20))),
            district_codes=partner.district_codes if scope == "districts" else [],
            school_codes=partner.school_codes if scope == "schools" else [],
        )

    def end(self, spec: PartnershipSpec, fy: int) -> None:
        first, last = fy_bounds(fy)
        spec.end_date = self.day(max(first, spec.start_date), last)
        spec.status = "ended"

    def partnerships(self) -> None:
        rng, size = self.rng, self.size
        pool = self.live_partners("nonprofit", "health", "county", "higher_ed", "city")
        rng.shuffle(pool)
        active: list[PartnershipSpec] = []
        previous = 0
        for i, fy in enumerate(range(FIRST_FY, LAST_FY + 1)):
            target = size.strategic_active[i]
            # Partnerships that ended last year no longer count: replace them, then grow.
            for _ in range(target - previous):
                partner = pool[len(self.plan.partnerships) % len(pool)]
                spec = self.partnership(partner, fy, strategic=True)
                self.plan.partnerships.append(spec)
                active.append(spec)
            if fy < LAST_FY and i > 0:
                for spec in rng.sample(active, k=min(len(active), size.strategic_ended_per_year)):
                    self.end(spec, fy)
                    active.remove(spec)
            previous = len(active)
        others = self.live_partners()
        for _ in range(size.other_partnerships):
            partner = rng.choice(others)
            fy = rng.randint(FIRST_FY, LAST_FY)
            spec = self.partnership(partner, fy, strategic=False)
            if rng.random() < 0.35:
                self.end(spec, rng.randint(fy, LAST_FY))
            elif rng.random() < 0.08:
                spec.status = "proposed"
            self.plan.partnerships.append(spec)

    # --- touchpoints -----------------------------------------------------------------------------
    def touchpoints(self) -> None:
        rng, size, today = self.rng, self.size, self.today
        channels = (("meeting", 30), ("call", 25), ("email", 25), ("slack", 10), ("event", 10))
        for partner in self.plan.partners:
            low, high = size.touchpoints_per_partner
            for _ in range(rng.randint(low, high) if partner.duplicate_of is None else 1):
                on = self.day(dt.date(2019, 8, 1), today - dt.timedelta(days=30))
                follow = on + dt.timedelta(days=rng.randint(7, 30)) if rng.random() < 0.5 else None
                self.plan.touchpoints.append(
                    TouchpointSpec(
                        partner=partner.key,
                        occurred_on=on,
                        channel=self.weighted(channels),
                        summary=rng.choice(TOUCHPOINT_SUMMARIES),
                        next_step=rng.choice(NEXT_STEPS) if follow else "",
                        follow_up_on=follow,
                        follow_up_done=follow is not None,
                        staff=self.weighted((("pat", 75), ("ana", 25))),
                    )
                )
        recent = self.live_partners()
        for _ in range(size.follow_ups_due):
            on = self.day(today - dt.timedelta(days=40), today)
            follow = today + dt.timedelta(days=rng.randint(-10, 21))
            self.plan.touchpoints.append(
                TouchpointSpec(
                    partner=rng.choice(recent).key,
                    occurred_on=on,
                    channel=self.weighted(channels),
                    summary=rng.choice(TOUCHPOINT_SUMMARIES),
                    next_step=rng.choice(NEXT_STEPS),
                    follow_up_on=max(follow, on),
                    follow_up_done=False,
                    staff="pat",
                )
            )

    # --- grants ----------------------------------------------------------------------------------
    def grant(self, school, kind, cohort, start, end, status="active") -> None:
        amounts = {
            "planning": (150_000, 250_000),
            "implementation": (500_000, 2_500_000),
            "extension": (150_000, 500_000),
            "coordination": (100_000, 300_000),
        }[kind]
        amount = self.rng.randrange(amounts[0], amounts[1], 5_000)
        self.plan.grants.append(GrantSpec(school, kind, cohort, amount, start, end, status))

    def grants(self) -> list[str]:
        """CCSPP grants in three cohorts; returns Cora's three schools."""
        rng, d = self.rng, dt.date
        impl1, plan_only, plan_then_impl, late1, c2, c3 = self.size.grant_groups
        total = impl1 + plan_only + plan_then_impl + late1 + c2 + c3
        chosen = [s.cds_code for s in rng.sample(self.schools, k=min(total, len(self.schools)))]
        groups, at = [], 0
        for n in self.size.grant_groups:
            groups.append(chosen[at : at + n])
            at += n
        cohort1_start, cohort1_plan_end = d(2022, 1, 15), d(2023, 6, 30)
        for i, code in enumerate(groups[0]):
            self.grant(code, "implementation", 1, cohort1_start, d(2027, 6, 30))
            if i % 3 == 1:
                self.grant(code, "extension", 1, d(2024, 7, 1), d(2027, 6, 30))
        for code in groups[1]:
            self.grant(code, "planning", 1, cohort1_start, cohort1_plan_end, "closed")
        for code in groups[2]:
            self.grant(code, "planning", 1, cohort1_start, cohort1_plan_end, "closed")
            self.grant(code, "implementation", 2, d(2023, 7, 1), d(2028, 6, 30))
        for code in groups[3]:
            self.grant(code, "implementation", 1, d(2022, 7, 1), d(2027, 6, 30))
        for i, code in enumerate(groups[4]):
            self.grant(code, "implementation", 2, d(2023, 7, 1), d(2028, 6, 30))
            if i % 6 == 0:
                self.grant(code, "coordination", 2, d(2023, 7, 1), d(2026, 6, 30))
        for code in groups[5]:
            if rng.random() < 0.25:
                self.grant(code, "planning", 3, d(2024, 7, 1), d(2026, 6, 30))
            else:
                self.grant(code, "implementation", 3, d(2024, 7, 1), d(2029, 6, 30))
        return sorted(groups[0])[:3]

    def funded_years(self) -> dict[str, list[int]]:
        years: dict[str, list[int]] = {}
        for g in self.plan.grants:
            span = range(fiscal_year_of(g.start_date), fiscal_year_of(g.end_date) + 1)
            years.setdefault(g.school, [])
            years[g.school] = sorted(set(years[g.school]) | set(span))
        return years

    # --- events and referrals -------------------------------------------------------------------
    def events(self, cora_schools: list[str]) -> None:
        rng, today = self.rng, self.today
        serving: dict[str, list[int]] = {}
        for p in self.live_partners():
            for code in p.school_codes:
                serving.setdefault(code, []).append(p.key)
        anyone = [p.key for p in self.live_partners("nonprofit", "health", "faith", "business")]
        for code, years in self.funded_years().items():
            for fy in years:
                first, last = fy_bounds(fy)
                if first > today:
                    continue
                low, high = self.size.events_per_school_year
                for _ in range(rng.randint(low, high)):
                    kind = self.weighted(EVENT_KINDS)
                    local = serving.get(code, [])
                    pool = local + rng.sample(anyone, k=min(3, len(anyone)))
                    partners = sorted(set(rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))))
                    items = rng.randint(100, 1500) if kind == "distribution" else 0
                    if kind == "family_night" and rng.random() < 0.4:
                        items = rng.randint(20, 200)
                    self.plan.events.append(
                        EventSpec(
                            school=code,
                            kind=kind,
                            title=rng.choice(EVENT_TITLES[kind]),
                            date=self.day(first + dt.timedelta(days=40), last - dt.timedelta(20)),
                            participants=rng.randint(12, 60)
                            if kind == "workshop"
                            else rng.randint(40, 450),
                            items_distributed=items,
                            partners=partners,
                            recorded_by="cora" if code in cora_schools else None,
                        )
                    )

    def student_ref(self) -> str:
        while True:
            ref = "S-" + "".join(self.rng.choice(REF_ALPHABET) for _ in range(6))
            if ref not in self.used_refs:
                self.used_refs.add(ref)
                return ref

    def referrals(self, cora_schools: list[str]) -> None:
        rng, today = self.rng, self.today
        years = self.funded_years()
        schools = [code for code, fys in years.items() if max(fys) >= fiscal_year_of(today) - 1]
        # Cora's schools get a fair share so her referral list is worth opening.
        weights = [6 if code in cora_schools else 1 for code in schools]
        helpers = self.live_partners("nonprofit", "health", "county")
        by_need: dict[str, list[PartnerSpec]] = {}
        for p in helpers:
            for category in p.categories:
                if category in NEEDS_BY_CATEGORY:
                    by_need.setdefault(NEEDS_BY_CATEGORY[category], []).append(p)
        needs = sorted(by_need) or ["other"]
        for _ in range(self.size.referrals):
            code = rng.choices(schools, weights=weights)[0]
            need = rng.choice(needs)
            partner = rng.choice(by_need.get(need) or helpers)
            referred_on = self.day(dt.date(2022, 8, 15), today)
            consent = rng.random() < 0.85
            history, outcome = self.referral_history(referred_on)
            is_open = not history or history[-1][1] in ("accepted", "in_service")
            self.plan.referrals.append(
                ReferralSpec(
                    school=code,
                    partner=partner.key,
                    student_ref=self.student_ref(),
                    grade=rng.choice(("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")),
                    need_category=need,
                    referred_on=referred_on,
                    consent_on_file=consent,
                    contact_preference=self.weighted(
                        (("phone", 50), ("text", 30), ("email", 10), ("in_person", 10))
                    ),
                    follow_up_on=referred_on + dt.timedelta(days=14) if is_open else None,
                    history=history,
                    outcome=outcome,
                    referred_by="cora" if code in cora_schools else None,
                )
            )

    def referral_history(self, referred_on: dt.date):
        """A believable closed loop; recent referrals are still open."""
        rng, today = self.rng, self.today
        steps: list[tuple[str, str, dt.date, str]] = []
        age = (today - referred_on).days
        on = referred_on
        status = "referred"

        def move(to: str, low: int, high: int, reason: str = "") -> bool:
            nonlocal on, status
            nxt = on + dt.timedelta(days=rng.randint(low, high))
            if nxt > today:
                return False
            steps.append((status, to, nxt, reason))
            on, status = nxt, to
            return True

        roll = rng.random()
        if roll < 0.08 and age > 30:
            move("unable_to_reach", 14, 30, "No answer after three calls and a text.")
            return steps, ""
        if roll < 0.13 and age > 20:
            move("declined", 3, 15, "Family chose another provider.")
            return steps, ""
        if not move("accepted", 2, 10):
            return steps, ""
        if rng.random() < 0.04:
            move("no_capacity", 5, 20, "Waiting list is full this semester.")
            return steps, ""
        if not move("in_service", 3, 20):
            return steps, ""
        if rng.random() < 0.06:
            move("no_longer_interested", 10, 60, "Family moved out of the area.")
            return steps, ""
        if move("completed", 20, 120):
            return steps, "Services completed; family reports the need was met."
        return steps, ""

    # --- funding -------------------------------------------------------------------------------
    def funding(self) -> None:
        rng = self.rng
        funders = self.live_partners("philanthropy", "county", "business")
        grant_schools = sorted({g.school for g in self.plan.grants})
        for i in range(self.size.funding):
            # Later years bring more money in: skew the year towards the present.
            fy = min(LAST_FY, FIRST_FY + int(rng.triangular(0, 7.99, 6)))
            first, last = fy_bounds(fy)
            if i % 3 == 0 or not funders:
                source, supports = rng.choice(FUNDING_SOURCES)
                partner = None
            else:
                funder = rng.choice(funders)
                source, partner, supports = funder.name, funder.key, rng.choice(FUNDING_USES)
            school = rng.choice(grant_schools) if grant_schools and rng.random() < 0.3 else None
            self.plan.funding.append(
                FundingSpec(
                    source=source,
                    partner=partner,
                    amount=rng.randrange(5_000, 400_000, 500),
                    fiscal_year=fy,
                    received_on=self.day(first, last),
                    supports=supports,
                    school=school,
                )
            )


_LA = Place(
    "Los Angeles County", "Los Angeles", ("90012",), "213", 34.054, -118.243, ("W Temple St",)
)


def _domain(name: str) -> str:
    letters = "".join(ch for ch in name.lower().replace("&", "and") if ch.isalnum())
    return letters[:40]


def _variant(name: str, n: int) -> str:
    """The n-th way people misspell or restyle an organization's name."""
    rules = (
        lambda s: s.replace(" & ", " and ").replace(" of ", " ") + " Inc.",
        lambda s: s.replace("Center", "Ctr.").replace("Services", "Svcs"),
        lambda s: "The " + s + ", Inc.",
        lambda s: s.replace("LA County", "Los Angeles County").replace("Department", "Dept."),
        lambda s: s.upper(),
        lambda s: s.replace("Community", "Comm.").replace("Family", "Families"),
        lambda s: s + " (" + "".join(w[0] for w in s.split() if w[0].isupper()) + ")",
        lambda s: s.replace("St.", "Saint").replace("Boys & Girls", "Boys and Girls"),
        lambda s: s.replace(" ", "", 1),
        lambda s: " ".join(w[:-1] if len(w) > 8 and i == 1 else w for i, w in enumerate(s.split())),
    )
    for offset in range(len(rules)):
        candidate = " ".join(rules[(n + offset) % len(rules)](name).split())
        if candidate != name:
            return candidate
    return ""


def build_plan(
    *,
    schools: list[SchoolRef],
    categories: list[str],
    focus_groups: list[str],
    size: str = "full",
    seed: int = DEMO_SEED,
    today: dt.date = DEMO_TODAY,
) -> DemoPlan:
    """Every demo row, decided by the seed and `today` alone (given the same reference data)."""
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}; use one of {', '.join(SIZES)}.")
    if not schools:
        raise ValueError("No schools: load the reference data first.")
    maker = _Plan(
        seed=seed,
        today=today,
        size=SIZES[size],
        schools=schools,
        categories=categories,
        groups=focus_groups,
    )
    maker.partners()
    originals = [p for p in maker.plan.partners if p.duplicate_of is None]
    details = partner_service_details([p.categories for p in originals], seed=seed)
    for partner, services in zip(originals, details, strict=True):
        partner.services = services
    maker.contacts()
    cora_schools = maker.grants()
    maker.users(cora_schools)
    maker.partnerships()
    maker.touchpoints()
    maker.events(cora_schools)
    maker.referrals(cora_schools)
    maker.funding()
    plan = maker.plan
    plan.needs, plan.assets = needs_and_assets(
        funded=maker.funded_years(), categories=maker.categories, today=today, seed=seed
    )
    plan.event_pillars = event_pillars([e.kind for e in plan.events], seed=seed)
    plan.partnership_pillars = partnership_pillars(
        [p.strategic for p in plan.partnerships], seed=seed
    )
    plan.agreements = agreements(plan.partnerships, today=today, seed=seed)
    still_open = [
        i
        for i, r in enumerate(plan.referrals)
        if r.school in cora_schools and (not r.history or r.history[-1][1] in OPEN_STEPS)
    ]
    plan.linked_referrals = linked_referrals(still_open, seed=seed)
    return plan
