"""Human-readable summary of a match or pair, for admin screens, Slack and import previews."""

from __future__ import annotations

from crm.dedup.score import Match, Pair

__all__ = ["describe"]


def describe(found: Match | Pair) -> str:
    """'likely duplicate (93): same website domain (bgcla.org); name 96% alike ...'."""
    reasons = "; ".join(found.reasons) or "similar name"
    return f"{found.level} duplicate ({round(found.score)}): {reasons}"
