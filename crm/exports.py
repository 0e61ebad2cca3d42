"""Spreadsheet safety for every export: text a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import re
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Plain numbers and phone numbers carry no function call, so they are left usable as they are.
HARMLESS = re.compile(r"^[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)$|^\+?[\d\s().\-]{7,}$")


def neutralise(value: Any) -> Any:
    """Prefix a quote to text that would start a formula, even after leading spaces."""
    if not isinstance(value, str) or not value:
        return value
    stripped = value.lstrip(" ")
    if value.startswith(("\t", "\r")) or (
        stripped.startswith(FORMULA_TRIGGERS) and not HARMLESS.match(stripped)
    ):
        return "'" + value
    return value


def neutralise_row(row: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [neutralise(v) for v in row]
