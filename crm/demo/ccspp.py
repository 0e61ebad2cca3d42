"""The demo's CCSPP records as plain data: needs and assets of funded schools, and the pillars
their events and partnerships serve. A seeded random.Random of its own keeps the rest unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from crm.fiscal import fiscal_year_of

PILLARS_BY_EVENT_KIND = {
    "engagement": ("family_engagement",),
    "family_night": ("family_engagement",),
    "workshop": ("extended_learning", "family_engagement"),
    "distribution": ("integrated_supports",),
    "other": ("collaborative_leadership",),
}
FREE_TEXT_NEEDS = (
    "Transportation to after-school programs",
    "Translation at parent meetings (Korean, Armenian)",
    "Quiet space for homework after 5 pm",
)
ASSETS = (
    ("program", "After School Education and Safety (ASES) program", "youth-development"),
    ("program", "Family resource center", "family-engagement"),
    ("program", "School-based health clinic", "health"),
    ("staff", "Community school coordinator", ""),
    ("staff", "Psychiatric social worker, three days a week", "mental-health"),
    ("facility", "Garden and outdoor classroom", ""),
    ("program", "Saturday tutoring", "academic-support"),
)
SOURCES = ("survey", "data_review", "listening_session")
OPEN_STEPS = ("referred", "accepted", "in_service")


@dataclass
class NeedSpec:
    school: str
    fiscal_year: int
    category: str  # a service category slug, or "" for a need described in words
    description: str
    priority: str
    source: str


@dataclass
class AssetSpec:
    school: str
    fiscal_year: int
    kind: str
    name: str
    category: str


def needs_and_assets(
    *, funded: dict[str, list[int]], categories: list[str], today, seed: int
) -> tuple[list[NeedSpec], list[AssetSpec]]:
    """Needs and assets for this year and last at every funded school."""
    rng = random.Random(seed + 20)
    this_year = fiscal_year_of(today)
    needs, assets = [], []
    for code in sorted(funded):
        for fy in (this_year - 1, this_year):
            if fy not in funded[code]:
                continue
            for slug in rng.sample(categories, k=min(len(categories), rng.randint(2, 5))):
                priority = rng.choice(("high", "high", "medium", "low"))
                needs.append(NeedSpec(code, fy, slug, "", priority, rng.choice(SOURCES)))
            if rng.random() < 0.3:
                text = rng.choice(FREE_TEXT_NEEDS)
                needs.append(NeedSpec(code, fy, "", text, "medium", "listening_session"))
            for kind, name, slug in rng.sample(ASSETS, k=rng.randint(1, 3)):
                assets.append(AssetSpec(code, fy, kind, name, slug if slug in categories else ""))
    return needs, assets


def event_pillars(kinds: list[str], *, seed: int) -> list[tuple[int, str]]:
    """(event index, pillar code) for every event, from its kind, and a few more."""
    rng = random.Random(seed + 21)
    tags = []
    for i, kind in enumerate(kinds):
        chosen = set(PILLARS_BY_EVENT_KIND.get(kind, ())[:1])
        if rng.random() < 0.2:
            chosen.add("collaborative_leadership")
        tags += [(i, code) for code in sorted(chosen)]
    return tags


def partnership_pillars(strategic: list[bool], *, seed: int) -> list[tuple[int, str]]:
    """(partnership index, pillar code): strategic partnerships serve one or two pillars."""
    rng = random.Random(seed + 22)
    codes = sorted({c for kinds in PILLARS_BY_EVENT_KIND.values() for c in kinds})
    tags = []
    for i, is_strategic in enumerate(strategic):
        if is_strategic or rng.random() < 0.3:
            tags += [(i, code) for code in sorted(rng.sample(codes, k=rng.randint(1, 2)))]
    return tags


@dataclass
class AgreementSpec:
    partnership: int  # index into the plan's partnerships
    kind: str
    signed_on: dt.date
    expires_on: dt.date
    renewal_status: str


def agreements(partnerships: list, *, today: dt.date, seed: int) -> list[AgreementSpec]:
    """Signed agreements for most active partnerships that name one (MOU, data-sharing,
    contract); the first gets an expiry within 30 days of `today`, so reminders show."""
    rng = random.Random(seed + 23)
    found: list[AgreementSpec] = []
    for i, p in enumerate(partnerships):
        active = p.status == "active" and (p.end_date is None or p.end_date >= today)
        if not active or p.agreement_type == "informal" or rng.random() < 0.2:
            continue
        signed = p.start_date
        if not found:
            expires = today + dt.timedelta(days=21)
        else:
            expires = max(signed, today) + dt.timedelta(days=rng.randint(90, 900))
        found.append(AgreementSpec(i, p.agreement_type, signed, expires, "current"))
    return found


def linked_referrals(open_referrals: list[int], *, seed: int) -> list[int]:
    """Indexes of the open referrals already shared with their partner through a link."""
    rng = random.Random(seed + 24)
    return sorted(rng.sample(open_referrals, k=min(5, len(open_referrals))))
