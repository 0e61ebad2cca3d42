"""Reading one spreadsheet cell as a typed value; a CellError carries the message for the person."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from crm.fiscal import parse_fy


class CellError(ValueError):
    """The cell's text cannot be read as the column's type."""


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y/%m/%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%dT%H:%M:%S",
)
_TRUE = {"yes", "y", "true", "t", "1", "x", "sí", "si"}
_FALSE = {"no", "n", "false", "f", "0", ""}


def text(value: str) -> str:
    return " ".join((value or "").split())


def date(value: str) -> dt.date | None:
    """ISO, US month/day/year, or a written month; anything else is refused, never guessed."""
    raw = (value or "").strip()
    if not raw:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(
        f"“{raw[:40]}” is not a date this import reads; write YYYY-MM-DD (2025-03-31) "
        "or MM/DD/YYYY (03/31/2025)."
    )


def boolean(value: str) -> bool:
    raw = (value or "").strip().casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(f"“{raw[:20]}” is not yes or no.")


def decimal(value: str, minimum: Decimal | None = Decimal("0")) -> Decimal | None:
    raw = (value or "").strip().replace("$", "").replace(",", "")
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(f"“{value.strip()[:30]}” is not a number.") from exc
    if not number.is_finite():
        raise CellError(f"“{value.strip()[:30]}” is not a number.")
    if minimum is not None and number < minimum:
        raise CellError(f"{number} is below {minimum}.")
    return number


def integer(value: str) -> int | None:
    number = decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"{number} is not a whole number.")
    return int(number)


def coordinate(value: str, limit: int) -> Decimal | None:
    """A latitude (limit 90) or longitude (limit 180) to the six decimals the models keep."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"“{raw[:30]}” is not a coordinate.") from None
    if not number.is_finite():
        raise CellError(f"“{raw[:30]}” is not a coordinate.")
    if abs(number) > limit:
        raise CellError(f"{number} is outside -{limit}..{limit}.")
    return number.quantize(Decimal("0.000001"))


def header_key(header: str) -> str:
    """A column header as the loaders compare it: lower case, words joined by underscores."""
    return "_".join(str(header).strip().lower().replace("-", " ").split())


def fiscal_year(value: str) -> int:
    try:
        return parse_fy(value)
    except ValueError as exc:
        raise CellError(str(exc)) from exc


def cds_code(value: str, *, digits: int = 14) -> str:
    raw = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(rf"\d{{{digits}}}", raw):
        raise CellError(f"“{(value or '').strip()[:30]}” is not a {digits}-digit CDS code.")
    return raw


def many(value: str) -> list[str]:
    """A list cell: items separated by semicolons or vertical bars."""
    return [item for item in (text(p) for p in re.split(r"[;|]", value or "")) if item]


def choice_list(value: str, choices) -> list[str]:
    """A list cell of TextChoices, each by its value or label; each named once, in file order."""
    found: list[str] = []
    for item in many(value):
        member = choice(item, choices)
        if member not in found:
            found.append(member)
    return found


def choice(value: str, choices) -> str:
    """A TextChoices value from its value or its label, ignoring case."""
    raw = text(value).casefold()
    for member in choices:
        if raw in (member.value.casefold(), str(member.label).casefold()):
            return member.value
    allowed = ", ".join(m.value for m in choices)
    raise CellError(f"“{text(value)[:30]}” is not one of: {allowed}.")
