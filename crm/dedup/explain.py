"""Human-readable summary of a match or pair, for admin screens, Slack and import previews."""

from __future__ import annotations

from crm.dedup.score import Match, Pair

__all__ = ["describe"]


def describe(found: Match | Pair) -> str:
    """'likely duplicate (99.8%): same name +9.8; same website domain (x.org) +4.4; total ...':
    every reason with its weight in bits, then the total and the probability."""
    reasons = "; ".join(found.reasons) or "similar name"
    return f"{found.level} duplicate ({found.score:g}%): {reasons}"
