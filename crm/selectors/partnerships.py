"""Partnership reads that faces share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from crm.models import Partnership, PartnershipStatus


def partnership_active_alike(
    *, partner_id: int, strategic: bool, agreement_type: str, on: dt.date
) -> Partnership | None:
    """An active partnership of this partner of the same kind (strategic flag and agreement
    type) in force on `on`, the earliest first; None when there is none."""
    return (
        Partnership.objects.filter(
            partner_id=partner_id,
            status=PartnershipStatus.ACTIVE,
            strategic=strategic,
            agreement_type=agreement_type,
            start_date__lte=on,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("start_date", "pk")
        .first()
    )
