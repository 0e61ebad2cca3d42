"""Times as the office reads them: in settings.TIME_ZONE (Los Angeles), with the zone named."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_stamp(moment: dt.datetime | None) -> str:
    """'2026-11-24 09:30 PST' for an aware datetime; '' for None."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M %Z}".strip()
