"""The disclosure log: who saw or exported student-level referral data, when, and what.

A disclosure entry is itself the audit record of a read, so no AuditEntry is written beside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from crm.models import Referral, ReferralDisclosure
from crm.services.base import check_channel


@transaction.atomic
def disclosure_record(
    *,
    actor,
    source: str,
    action: str,
    referrals: Iterable[Referral] | Iterable[tuple[int, str]],
    detail: str = "",
) -> int:
    """Log one entry per referral disclosed; takes referrals or (pk, student_ref) pairs."""
    check_channel(source)
    if action not in (
        ReferralDisclosure.VIEW,
        ReferralDisclosure.EXPORT,
        ReferralDisclosure.PARTNER,
    ):
        raise ValueError(f"Unknown disclosure action {action!r}.")
    pairs = [
        (r.pk, r.student_ref) if isinstance(r, Referral) else (int(r[0]), str(r[1]))
        for r in referrals
    ]
    user = actor if getattr(actor, "pk", None) else None
    label = f"{source}: {detail}"[:255] if detail else source
    ReferralDisclosure.objects.bulk_create(
        [
            ReferralDisclosure(
                user=user, action=action, referral_id=pk, student_ref=ref, detail=label
            )
            for pk, ref in pairs
        ],
        batch_size=500,
    )
    return len(pairs)
