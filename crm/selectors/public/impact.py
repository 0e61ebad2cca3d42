"""The initiative's headline figures for the home page, counted through the shared definitions in
crm.selectors.figures and suppressed when 1..10."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.utils import timezone

from crm.fiscal import fiscal_year_of
from crm.selectors.figures import (
    funded_schools,
    published_partners,
    recorded_events,
    recorded_referrals,
)
from crm.selectors.public.counts import PublicCount, public_count


def public_impact(*, today: dt.date | None = None) -> dict[str, PublicCount | int]:
    """Partners and funded schools now, activity since records began."""
    fy = fiscal_year_of(today or timezone.localdate())
    events = recorded_events().aggregate(
        n=Count("id"),
        people=Sum("participants"),
        items=Sum("items_distributed"),
    )
    return {
        "fiscal_year": fy,
        "partners": public_count(published_partners().count()),
        "community_schools": public_count(funded_schools(fy).count()),
        "events": public_count(events["n"]),
        "participants": public_count(events["people"]),
        "items": public_count(events["items"]),
        "referrals": public_count(recorded_referrals().count()),
    }
