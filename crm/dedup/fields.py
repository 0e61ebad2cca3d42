"""Parse phones (with `phonenumbers`) and street addresses (with `usaddress`) into parts.

The matcher compares these parts, so a suite number or an extension can tell sites apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import usaddress

from crm.dedup.identifiers import normalize_zip
from crm.dedup.normalize import _fold
from crm.dedup.vocabulary import DIRECTIONS, ORDINALS, STREET_TYPES

__all__ = ["Address", "Phone", "parse_address", "parse_phone"]


@dataclass(frozen=True, slots=True)
class Phone:
    """A national number and its extension ('' when none)."""

    number: str
    ext: str = ""


@dataclass(frozen=True, slots=True)
class Address:
    """The parts of a street line that identify a building and a unit within it."""

    number: str
    street: str
    unit: str
    zip: str

    @property
    def key(self) -> str:
        """House number, street name and ZIP, for blocking."""
        return f"{self.number} {self.street}|{self.zip}" if self.number and self.street else ""


_PLACEHOLDER = re.compile(r"^(\d)\1+$")
_PLAIN_US = re.compile(r"^\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}$")


@lru_cache(maxsize=1 << 17)
def parse_phone(text: str) -> Phone | None:
    """The number as dialled in the US (region default), or None when it is not a real one."""
    raw = (text or "").strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) < 7:
        return None
    if _PLAIN_US.match(raw) and len(digits) == 10 and digits[0] not in "01":
        # The common "(213) 555-0100" shape: what phonenumbers returns, without its cost.
        if _PLACEHOLDER.match(digits) or (digits[3:6] == "555" and digits[6:8] == "01"):
            return None
        return Phone(digits)
    try:
        parsed = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    national = str(parsed.national_number)
    if parsed.country_code == 1 and (len(national) != 10 or national[0] in "01"):
        # A seven-digit local number names no area, so it identifies nothing.
        return None
    if _PLACEHOLDER.match(national) or (
        parsed.country_code == 1 and national[3:6] == "555" and national[6:8] == "01"
    ):
        return None
    number = national if parsed.country_code == 1 else f"+{parsed.country_code}{national}"
    return Phone(number, (parsed.extension or "").lstrip("0"))


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str, table: dict[str, str]) -> str:
    return " ".join(table.get(w, ORDINALS.get(w, w)) for w in _WORD.findall(text.lower()))


@lru_cache(maxsize=1 << 17)
def parse_address(street: str, zip_code: str = "") -> Address | None:
    """House number, street name (with its type and direction), unit and ZIP of a street line.

    None when there is no street line; a line `usaddress` cannot read keeps its words as the
    street so that equal lines still compare equal.
    """
    text = " ".join(_fold(street or "").split())
    if not text:
        return None
    try:
        parts, _kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError as err:
        parts = {}
        for value, label in err.parsed_string:
            parts.setdefault(label, value)
    number = re.sub(r"\D", "", parts.get("AddressNumber", ""))
    street_name = " ".join(
        _words(parts.get(label, ""), DIRECTIONS if "Directional" in label else STREET_TYPES)
        for label in (
            "StreetNamePreDirectional",
            "StreetNamePreType",
            "StreetName",
            "StreetNamePostType",
            "StreetNamePostDirectional",
        )
        if parts.get(label)
    )
    if not street_name:
        street_name = _words(text, STREET_TYPES)
    unit = " ".join(_WORD.findall(parts.get("OccupancyIdentifier", "").lower()))
    zip_found = normalize_zip(zip_code) or normalize_zip(parts.get("ZipCode", ""))
    return Address(number, street_name, unit, zip_found)
