"""Comparison levels of a record pair: the one function both training and scoring use.

Each comparison (name, alias, website domain, EIN, phone, street address, ZIP) puts a pair in
one of its levels, or NULL when a side lacks the field; the model gives each level a weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from crm.dedup.normalize import NameForm
from crm.dedup.score import (
    BY_ACRONYM,
    BY_SPELLING,
    BY_WEAK_WORDS,
    CONFLICT,
    EXTRA,
    NUMBER,
    POSSIBLE_AT,
    SAME,
    NameVerdict,
    Profile,
    compare_names,
)
from crm.dedup.vocabulary import STOPWORDS

__all__ = ["COMPARISONS", "NULL", "Comparison", "Levels", "comparison_levels"]

NULL = -1


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field comparison and the labels of its levels, strongest agreement first."""

    key: str
    title: str
    levels: tuple[str, ...]


NAME_LEVELS = (
    "same name",
    "same words (typos, spacing, order)",
    "acronym of 5+ letters spells the other name",
    "same name apart from 'Foundation'/'Fund'",
    "one name adds words, very alike",
    "one part of a compound name matches",
    "same words, less alike",
    "acronym of 3-4 letters spells the other name",
    "one name adds words",
    "names differ by a word, very alike",
    "names differ by a word",
    "different numbers in the names",
    "different names",
    "no word in common",
)
(
    N_EXACT,
    N_SAME_WORDS,
    N_ACRONYM_LONG,
    N_WEAK_WORDS,
    N_EXTRA_CLOSE,
    N_PART,
    N_CLOSE,
    N_ACRONYM_SHORT,
    N_EXTRA,
    N_CONFLICT_NEAR,
    N_CONFLICT,
    N_NUMBER,
    N_DIFFERENT,
    N_NOTHING_SHARED,
) = range(len(NAME_LEVELS))

COMPARISONS = (
    Comparison("name", "Name", NAME_LEVELS),
    Comparison(
        "alias", "Alias", ("an alias is the other's name", "an alias is close to the other's name")
    ),
    Comparison("domain", "Website domain", ("same website domain", "different website domains")),
    Comparison(
        "ein",
        "EIN",
        ("same EIN", "same EIN, one is a sponsored project", "different EINs"),
    ),
    Comparison(
        "phone",
        "Phone",
        ("same phone", "same phone, different extensions", "different phones"),
    ),
    Comparison(
        "address",
        "Street address",
        (
            "same street address",
            "same building, different unit",
            "same house number, different street",
            "same street, different house number",
            "street addresses differ",
        ),
    ),
    Comparison("zip", "ZIP", ("same ZIP", "different ZIPs")),
)
COMPARISON_KEYS = tuple(c.key for c in COMPARISONS)
NAME, ALIAS, DOMAIN, EIN, PHONE, ADDRESS, ZIP = range(len(COMPARISONS))


@dataclass(frozen=True, slots=True)
class Levels:
    """The level of every comparison (NULL when missing) and the name verdicts behind them."""

    codes: tuple[int, ...]
    name: NameVerdict | None = None
    alias: NameVerdict | None = None
    # With a memo: what the name verdicts were computed from (names, aliases, floor); pairs
    # with equal keys have equal verdicts.
    names_key: tuple = field(default=(), compare=False)


def _name_level(verdict: NameVerdict) -> int:
    if verdict.path == BY_SPELLING:
        return N_EXACT
    if verdict.path == BY_ACRONYM:
        return N_ACRONYM_LONG if verdict.base >= 5 else N_ACRONYM_SHORT
    if verdict.path == BY_WEAK_WORDS:
        return N_WEAK_WORDS if verdict.kind == SAME else N_EXTRA
    base, kind = verdict.base, verdict.kind
    if kind == SAME:
        return N_SAME_WORDS if base >= 85 else N_CLOSE if base >= POSSIBLE_AT else N_DIFFERENT
    if kind == EXTRA:
        # Every word of one name is in the other, however long the other is.
        return N_EXTRA_CLOSE if base >= 85 else N_EXTRA
    if kind == NUMBER:
        return N_NUMBER
    assert kind == CONFLICT
    return N_CONFLICT_NEAR if base >= 85 else N_CONFLICT if base >= POSSIBLE_AT else N_DIFFERENT


def _is_alias(form: NameForm) -> bool:
    return form.source == "alias"


NameLevels = tuple[int, NameVerdict | None, int, NameVerdict | None]
# Name levels by (name, aliases, other name, other aliases, floor), kept by a caller for one
# batch: a spreadsheet's scan compares the same few name pairs once per pair of its rows.
NamesMemo = dict[tuple, NameLevels]


def _names_key(a: Profile, b: Profile, floor: float) -> tuple:
    first, second = a.record, b.record
    return (
        first.name or "",
        tuple(first.aliases or ()),
        second.name or "",
        tuple(second.aliases or ()),
        floor,
    )


def _names_of(a: Profile, b: Profile, floor: float) -> NameLevels:
    name_level, name_verdict = NULL, None
    alias_level, alias_verdict = NULL, None
    for x in a.forms:
        for y in b.forms:
            alias = _is_alias(x) or _is_alias(y)
            verdict = compare_names(x, y, floor=floor)
            if verdict is None:
                continue
            level = _name_level(verdict)
            if alias:
                # An alias only speaks when it matches; old names differ by nature.
                if level in (N_EXACT, N_SAME_WORDS, N_ACRONYM_LONG):
                    code = 0 if level == N_EXACT else 1
                    if alias_level == NULL or code < alias_level:
                        alias_level, alias_verdict = code, verdict
                continue
            if x.source == "part" and y.source == "part":
                # Two compounds sharing a member ("X & Woodcraft Rangers") are two partners.
                continue
            if x.source == "part" or y.source == "part":
                # A compound's part counts only when it is the other name (or its acronym);
                # the rest is noise.
                if level in (N_ACRONYM_LONG, N_ACRONYM_SHORT):
                    pass
                elif level in (N_EXACT, N_SAME_WORDS, N_WEAK_WORDS, N_EXTRA_CLOSE):
                    level = N_PART
                else:
                    continue
            elif level == N_DIFFERENT and x.token_set.isdisjoint(y.token_set - STOPWORDS):
                level = N_NOTHING_SHARED
            if name_level == NULL or level < name_level:
                name_level, name_verdict = level, verdict
    return name_level, name_verdict, alias_level, alias_verdict


def _street_close(x: str, y: str) -> bool:
    return x == y or fuzz.ratio(x, y) >= 85 or fuzz.token_set_ratio(x, y) == 100


def _address_level(a: Profile, b: Profile) -> int:
    x, y = a.address_parts, b.address_parts
    if x is None or y is None:
        return NULL
    if not (x.number and y.number and x.street and y.street):
        return 0 if x.street and x.street == y.street and x.number == y.number else NULL
    close = _street_close(x.street, y.street)
    if x.number == y.number:
        if not close:
            return 2
        return 0 if x.unit == y.unit or not x.unit or not y.unit else 1
    return 3 if close else 4


def _phone_level(a: Profile, b: Profile) -> int:
    x, y = a.phone_parts, b.phone_parts
    if x is None or y is None:
        return NULL
    if x.number != y.number:
        return 2
    return 0 if x.ext == y.ext or not x.ext or not y.ext else 1


def _agree_somewhere(a: Profile, b: Profile) -> bool:
    return bool(
        (a.domain and a.domain == b.domain)
        or (a.ein and a.ein == b.ein)
        or (a.phone and a.phone == b.phone)
        or (a.address and a.address == b.address)
    )


def comparison_levels(
    a: Profile, b: Profile, *, quick: bool = False, memo: NamesMemo | None = None
) -> Levels | None:
    """The level of each comparison for one pair.

    With `quick`, a pair that agrees on no identifier and whose names are not even
    POSSIBLE_AT alike is dropped (None) before the costly word-by-word name comparison: the
    levels it would get all carry negative name weights. Training passes quick=False.
    With `memo`, name levels are remembered in it (forms depend only on name and aliases).
    """
    if not a.forms or not b.forms:
        return None
    floor = POSSIBLE_AT if quick and not _agree_somewhere(a, b) else 0.0
    key: tuple = ()
    if memo is None:
        names = _names_of(a, b, floor)
    else:
        key = _names_key(a, b, floor)
        names = memo.get(key)
        if names is None:
            names = memo[key] = _names_of(a, b, floor)
    name_level, name_verdict, alias_level, alias_verdict = names
    if name_level == NULL and alias_level == NULL:
        if floor:
            return None
        # Only aliases were compared and none matched: the names are what differs.
        name_level = N_DIFFERENT
    if alias_level != NULL:
        # The alias explains the name: a renamed organization keeps its old name as an alias.
        name_level, name_verdict = NULL, None
    domain = NULL if not (a.domain and b.domain) else 0 if a.domain == b.domain else 1
    if a.ein and b.ein:
        ein = 2 if a.ein != b.ein else 1 if a.sponsored or b.sponsored else 0
    else:
        ein = NULL
    address = _address_level(a, b)
    phone = _phone_level(a, b)
    # One building has one ZIP, and so has one phone line: once the street address or the
    # phone agrees, the ZIP adds nothing.
    both_zip = a.zip and b.zip and address not in (0, 1) and phone not in (0, 1)
    zip_level = NULL if not both_zip else 0 if a.zip == b.zip else 1
    codes = (name_level, alias_level, domain, ein, phone, address, zip_level)
    return Levels(codes, name_verdict, alias_verdict, key)
