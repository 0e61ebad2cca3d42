"""Fiscal years run July 1 to June 30; FY 2024-25 is stored as 2025, the year it ends."""

from __future__ import annotations

import re
from datetime import date

FY_PATTERN = re.compile(r"^(?:FY\s*)?(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$", re.IGNORECASE)


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in, named by the year it ends."""
    return day.year + 1 if day.month >= 7 else day.year


def fy_label(fiscal_year: int) -> str:
    """'2024-25' for 2025."""
    return f"{fiscal_year - 1}-{fiscal_year % 100:02d}"


def fy_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a fiscal year."""
    return date(fiscal_year - 1, 7, 1), date(fiscal_year, 6, 30)


def parse_fy(text: str) -> int:
    """Read '2024-25', 'FY 2024-25', '2024-2025' or '2025'; ValueError says what was wrong."""
    cleaned = (text or "").strip()
    if re.fullmatch(r"\d{4}", cleaned):
        return int(cleaned)
    found = FY_PATTERN.match(cleaned)
    if not found:
        raise ValueError(f"'{text}' is not a fiscal year; write it like 2024-25.")
    start, end = int(found.group(1)), found.group(2)
    end_year = int(end) if len(end) == 4 else (start + 1)
    if end_year != start + 1 or (len(end) == 2 and int(end) != (start + 1) % 100):
        raise ValueError(f"'{text}' is not a fiscal year: the second year must follow the first.")
    return end_year
