"""Identifiers compared across records: website domain, EIN, phone, street and ZIP."""

from __future__ import annotations

import re

from crm.dedup.normalize import _fold
from crm.dedup.vocabulary import DIRECTIONS, ORDINALS, STREET_TYPES

__all__ = [
    "GENERIC_HOSTS",
    "TENANT_PARENTS",
    "digits_only",
    "normalize_ein",
    "normalize_phone",
    "normalize_street",
    "normalize_zip",
    "website_domain",
]


# Hosts that many unrelated organizations share; equal hosts there prove nothing.
GENERIC_HOSTS = frozenset(
    {
        "facebook.com",
        "fb.com",
        "instagram.com",
        "twitter.com",
        "x.com",
        "linkedin.com",
        "youtube.com",
        "tiktok.com",
        "linktr.ee",
        "linktree.com",
        "google.com",
        "sites.google.com",
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "aol.com",
        "icloud.com",
        "msn.com",
        "att.net",
        "sbcglobal.net",
        "verizon.net",
        "earthlink.net",
        "comcast.net",
        "charter.net",
        "me.com",
        "live.com",
        "eventbrite.com",
        "gofundme.com",
        "paypal.com",
        "guidestar.org",
        "candid.org",
        "yelp.com",
        "meetup.com",
        "bit.ly",
        "tinyurl.com",
        "goo.gl",
        "wix.com",
        "squarespace.com",
        "weebly.com",
        "godaddysites.com",
        "wordpress.com",
        "blogspot.com",
        "medium.com",
        "example.com",
        "none.com",
        "na.com",
    }
)
# Parents whose subdomains belong to different tenants (pages or county departments).
TENANT_PARENTS = frozenset(
    {
        "wixsite.com",
        "squarespace.com",
        "wordpress.com",
        "blogspot.com",
        "weebly.com",
        "github.io",
        "godaddysites.com",
        "webflow.io",
        "netlify.app",
        "lacounty.gov",
        "ca.gov",
        "lacity.org",
        "lacity.gov",
    }
)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "k12", "ca"})


def website_domain(url: str) -> str:
    """Registrable domain of a website or email ('' for social, email and page-builder hosts)."""
    text = (url or "").strip().lower()
    if not text or "." not in text:
        return ""
    if "@" in text and "/" not in text.split("@", 1)[0]:
        text = text.rsplit("@", 1)[1]
    text = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", text)
    host = re.split(r"[/?#\s]", text, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    if host.startswith("www.") or re.match(r"^www\d\.", host):
        host = host.split(".", 1)[1]
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or not re.fullmatch(r"[a-z0-9\-.]+", host):
        return ""
    for parent in TENANT_PARENTS:
        if host.endswith("." + parent):
            # Keep the tenant label: "dmh.lacounty.gov" and "dpss.lacounty.gov" differ.
            keep = parent.count(".") + 2
            return ".".join(labels[-keep:])
    # "lausd.k12.ca.us", "bbc.co.uk": the registrable part is one label longer.
    keep = 2
    if labels[-1] == "us" and len(labels) >= 4 and labels[-3] in {"k12", "ci", "co"}:
        keep = 4
    elif len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        keep = 3
    domain = ".".join(labels[-keep:])
    return "" if domain in GENERIC_HOSTS or host in GENERIC_HOSTS else domain


def digits_only(text: str) -> str:
    """Just the ASCII digits of `text`."""
    return "".join(ch for ch in _fold(text or "") if ch in "0123456789")


_PLACEHOLDER_EINS = frozenset({"000000000", "123456789", "999999999", "111111111"})


def normalize_ein(ein: str) -> str:
    """Nine-digit EIN, or '' when it is missing or an obvious placeholder."""
    digits = digits_only(ein)
    if len(digits) != 9 or digits in _PLACEHOLDER_EINS or len(set(digits)) == 1:
        return ""
    return digits


def normalize_phone(phone: str) -> str:
    """Ten-digit North American number without extension, or ''."""
    text = re.split(r"(?i)\s*(?:ext\.?|extension|x|#)\s*\d+\s*$", (phone or "").strip())[0]
    digits = digits_only(text)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or len(set(digits)) == 1:
        return ""
    if digits[3:6] == "555" and digits[6:8] == "01":
        return ""
    return digits


_STREET_WORDS = {**STREET_TYPES, **DIRECTIONS, **ORDINALS}
_UNIT = re.compile(r"(?i)\s*(?:,|\b)\s*(?:suite|ste|unit|apt|room|rm|floor|fl|bldg|#)\b.*$")


def normalize_street(street: str) -> str:
    """Street line without unit/suite, with standard abbreviations: '123 n main st'."""
    text = _fold(street or "").lower()
    text = text.split(",", 1)[0] if re.match(r"^\s*\d", text) else text
    text = _UNIT.sub("", text)
    text = re.sub(r"#\s*\w+", " ", text)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(_STREET_WORDS.get(w, w) for w in words)


def normalize_zip(zip_code: str) -> str:
    """Five-digit ZIP, or ''."""
    found = re.search(r"\b(\d{5})(?:-\d{4})?\b", (zip_code or "").strip())
    return found.group(1) if found else ""
