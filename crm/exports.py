"""Spreadsheet safety for every export: text a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import re
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Only a plain signed number is left as it is: a spreadsheet reads it as the same number.
# Anything else after a sign is computed ("-2-3-4-5", "-(1)-(2)", "+1-213-555-0100"), so a
# phone number that starts with "+" is kept readable as text behind a "'".
# Control characters a workbook cannot hold (openpyxl refuses the whole file) and no reader needs.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)$")


def neutralise(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would compute, even after leading whitespace;
    drop control characters a workbook cannot hold."""
    if not isinstance(value, str) or not value:
        return value
    value = CONTROL.sub("", value)
    stripped = value.lstrip()
    if value.startswith(("\t", "\r")) or (
        stripped.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.match(stripped)
    ):
        return "'" + value
    return value


def neutralise_row(row: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [neutralise(v) for v in row]
