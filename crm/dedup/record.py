"""The plain record the matcher compares: one partner organization, no database involved."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Record:
    """A partner as the matcher sees it; every field but id and name may be empty."""

    id: str | int
    name: str
    aliases: tuple[str, ...] = ()
    website: str = ""
    ein: str = ""
    phone: str = ""
    street: str = ""
    zip: str = ""
