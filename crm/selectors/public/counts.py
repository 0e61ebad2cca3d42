"""Counts fit for a public page: any count from 1 to 10 is shown as "fewer than 11"."""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESS_BELOW = 11


@dataclass(frozen=True)
class PublicCount:
    """A count fit for a public page: `value` is None when the true count is 1..10."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


def public_count(n: int | None) -> PublicCount:
    n = int(n or 0)
    return PublicCount(None if 0 < n < SUPPRESS_BELOW else n)
