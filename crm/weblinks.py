"""Stored links: only http and https web addresses are kept or ever rendered as a link.

`web_url_problem` says what is wrong with a value (None when it is fine), `safe_href` is the only
way a stored link becomes an href, and `validate_web_url` is the model-field validator.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

ALLOWED_SCHEMES = ("http", "https")
# A scheme as a browser reads one: letters first, then letters, digits, "+", "-", ".".
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# "example.org:8080/x" looks like a scheme but is a host and a port.
HOST_PORT = re.compile(r"^[a-z0-9.\-]+\.[a-z]{2,}:\d+(?:[/?#]|$)", re.IGNORECASE)
_http_url = URLValidator(schemes=list(ALLOWED_SCHEMES))
MESSAGE = "Enter a web address starting with http:// or https:// (for example https://example.org)."


def _hidden_character(value: str) -> bool:
    # Browsers drop tabs and newlines inside an href ("java\tscript:"), and bidi controls hide
    # what a link says: a stored address may hold neither, nor any other space or control.
    return any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value)


def normalised_web_url(value: str) -> str:
    """The absolute http(s) address a stored value stands for; ValidationError when it has none.

    A bare host ("example.org/about") means https. Anything else must say http:// or https://.
    """
    text = (value or "").strip()
    if not text:
        return ""
    if _hidden_character(text) or "\\" in text:
        raise ValidationError(MESSAGE, code="web_url")
    if text.startswith("//"):
        raise ValidationError(MESSAGE, code="web_url")  # protocol-relative: scheme unknown
    match = SCHEME.match(text)
    if match and not HOST_PORT.match(text):
        if match.group(1).casefold() not in ALLOWED_SCHEMES:
            raise ValidationError(MESSAGE, code="web_url")
        absolute = text
    else:
        absolute = "https://" + text
    try:
        _http_url(absolute)
    except ValidationError:
        raise ValidationError(MESSAGE, code="web_url") from None
    parts = urlsplit(absolute)
    if parts.scheme.casefold() not in ALLOWED_SCHEMES or not parts.hostname:
        raise ValidationError(MESSAGE, code="web_url")
    return absolute


def web_url_problem(value: str) -> str | None:
    try:
        normalised_web_url(value)
    except ValidationError as err:
        return err.messages[0]
    return None


def validate_web_url(value: str) -> None:
    """Model-field validator: every write (service, admin form, import, Slack) runs it."""
    normalised_web_url(value)


def safe_href(value) -> str:
    """An href for a stored link, or "" when it is not an http(s) web address."""
    try:
        return normalised_web_url(str(value or ""))
    except ValidationError:
        return ""
