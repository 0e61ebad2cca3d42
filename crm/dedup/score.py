"""Score one pair of partner records and say why, in words a staff member can check.

The name score comes from rapidfuzz; website, EIN, phone and address each close part of the gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from crm.dedup.normalize import (
    STOPWORDS,
    WEAK_TOKENS,
    NameForm,
    name_forms,
    normalize_ein,
    normalize_phone,
    normalize_street,
    normalize_zip,
    website_domain,
)
from crm.dedup.record import Record

LIKELY = "likely"
POSSIBLE = "possible"
LEVEL_RANK = {LIKELY: 2, POSSIBLE: 1}

LIKELY_AT = 85.0
POSSIBLE_AT = 70.0

# How much of the remaining gap to 100 each shared identifier closes.
DOMAIN_WEIGHT = 0.55
EIN_WEIGHT = 0.5
PHONE_WEIGHT = 0.45
ADDRESS_WEIGHT = 0.45
DIFFERENT_EIN_PENALTY = 12.0
DIFFERENT_DOMAIN_PENALTY = 5.0

# Name-difference kinds, worst last; each caps the score (see _CAPS).
SAME, EXTRA, CONFLICT, NUMBER = 0, 1, 2, 3
_NAME_CAPS = {SAME: 100.0, EXTRA: 84.0, CONFLICT: 65.0, NUMBER: 60.0}
# Caps after other signals: one chain's branches share websites, fiscal sponsors share EINs.
_FINAL_CAPS = {SAME: 100.0, EXTRA: 84.0, CONFLICT: 80.0, NUMBER: 75.0}


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate duplicate for one query record."""

    id: str | int
    name: str
    score: float
    level: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pair:
    """A candidate duplicate pair found by a scan; left was added to the index first."""

    left_id: str | int
    right_id: str | int
    score: float
    level: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """A record with everything the scorer needs, normalized once."""

    record: Record
    forms: tuple[NameForm, ...]
    domain: str
    ein: str
    phone: str
    address: str


def build_profile(record: Record) -> Profile:
    """Normalize every field of `record` once so comparisons stay cheap."""
    street = normalize_street(record.street)
    zip_code = normalize_zip(record.zip)
    return Profile(
        record=record,
        forms=name_forms(record.name or "", aliases=tuple(record.aliases or ())),
        domain=website_domain(record.website),
        ein=normalize_ein(record.ein),
        phone=normalize_phone(record.phone),
        address=f"{street}|{zip_code}" if street and zip_code and street[0].isdigit() else "",
    )


def level_for(score: float) -> str | None:
    """LIKELY, POSSIBLE or None for a 0..100 score."""
    if score >= LIKELY_AT:
        return LIKELY
    if score >= POSSIBLE_AT:
        return POSSIBLE
    return None


@lru_cache(maxsize=1 << 18)
def _close(a: str, b: str) -> bool:
    """Same word despite a typo or a plural ('socity', 'clubs'); 'dental' is not 'mental'.
    Cached: the same word pairs come up again and again across a batch."""
    if not (a + b).isalpha():
        # Tokens are letters or digits, so this means a number is involved: "5" is not "6".
        return a == b
    short, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and longer.startswith(short) and len(longer) - len(short) <= 2:
        return True
    if len(short) < 5 or (a[0] != b[0] and len(short) < 8):
        return False
    limit = 2 if len(short) >= 8 else 1
    return OSA.distance(a, b, score_cutoff=limit) <= limit or fuzz.ratio(a, b) >= 80


def _differences(x: NameForm, y: NameForm) -> tuple[list[str], list[str]]:
    ux = [t for t in x.distinct if t not in y.token_set]
    uy = [t for t in y.distinct if t not in x.token_set]
    for t in list(ux):
        for u in uy:
            if _close(t, u):
                ux.remove(t)
                uy.remove(u)
                break
    if ux and uy and fuzz.ratio("".join(ux), "".join(uy)) >= 85:
        # Split or joined words: "foodbank" vs "food bank".
        return [], []
    return ux, uy


def _kind(ux: list[str], uy: list[str]) -> int:
    if ux and uy:
        has_x = not "".join(ux).isalpha()
        has_y = not "".join(uy).isalpha()
        return NUMBER if has_x and has_y else CONFLICT
    return EXTRA if ux or uy else SAME


def _quote_words(words: tuple[str, ...]) -> str:
    return "'" + " ".join(words).title() + "'"


def _removed_note(x: NameForm, y: NameForm) -> str:
    ours = {r.lower() for r in x.removed}
    theirs = {r.lower() for r in y.removed}
    pieces = [r for r in x.removed if r.lower() not in theirs]
    pieces += [r for r in y.removed if r.lower() not in ours]
    return " after removing " + ", ".join(f"'{p}'" for p in pieces) if pieces else ""


# How a name verdict was reached, which decides its wording.
_BY_SPELLING, _BY_ACRONYM, _BY_WEAK_WORDS, _BY_LIKENESS = range(4)


@dataclass(frozen=True, slots=True)
class NameVerdict:
    """How alike two spellings are. The wording is built only when read: most compared pairs
    are dropped on their score, and building sentences for them was most of the cost."""

    score: float
    kind: int
    x: NameForm
    y: NameForm
    path: int
    base: float = 0.0
    ux: tuple[str, ...] = ()
    uy: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        x, y = self.x, self.y
        if self.path == _BY_SPELLING:
            note = _removed_note(x, y)
            if not note and x.raw.casefold() != y.raw.casefold():
                note = " apart from punctuation and abbreviations"
            return "same name" + note
        if self.path == _BY_ACRONYM:
            longer = x if len(x.tokens) >= len(y.tokens) else y
            return f"acronym of '{longer.raw}'"
        if self.path == _BY_WEAK_WORDS:
            return f"same name apart from {_quote_words(self.ux or self.uy)}"
        return f"name {round(self.base)}% alike" + _removed_note(x, y)

    @property
    def note(self) -> str:
        if self.path != _BY_LIKENESS:
            return ""
        if self.kind in (CONFLICT, NUMBER):
            return f"but names differ ({_quote_words(self.ux)} vs {_quote_words(self.uy)})"
        if self.kind == EXTRA:
            return f"one name adds {_quote_words(self.ux or self.uy)}"
        return ""


@lru_cache(maxsize=65536)
def _spells(acronym: str, words: tuple[str, ...]) -> bool:
    """Whether `acronym` can be read off `words`: every real word gives its first letter
    (or first few), small words like 'of' may give theirs ('VOALA', 'FoLAR', 'CISLA')."""

    @cache
    def walk(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(acronym)
        word = words[j]
        if word in STOPWORDS and walk(i, j + 1):
            return True
        for k in range(1, min(3, len(word)) + 1):
            if acronym[i : i + k] != word[:k]:
                break
            if walk(i + k, j + 1):
                return True
        return False

    return walk(0, 0)


def _acronym_hit(x: NameForm, y: NameForm) -> str:
    if not (x.has_acronym or y.has_acronym):
        return ""
    for a in (x.initials, x.initials_all):
        for b in (y.initials, y.initials_all):
            if len(a) >= 3 and a == b:
                return a
    for short, long in ((x, y), (y, x)):
        single = short.has_acronym and len(short.tokens) == 1 and len(short.norm) >= 3
        if single and len(long.tokens) >= 2 and _spells(short.norm, long.tokens):
            return short.norm
    return ""


def _weak_words_possible(x: NameForm, y: NameForm) -> bool:
    """Whether the added-weak-words rule could apply: differing words pair off one to one, so
    the side left with extras is the longer one, and only its weak words may be left over."""
    ux = x.token_set.difference(y.token_set, STOPWORDS)
    uy = y.token_set.difference(x.token_set, STOPWORDS)
    return (len(ux) < len(uy) and len(uy - WEAK_TOKENS) <= len(ux)) or (
        len(uy) < len(ux) and len(ux - WEAK_TOKENS) <= len(uy)
    )


def compare_names(x: NameForm, y: NameForm, *, floor: float = 0.0) -> NameVerdict | None:
    """Similarity of two spellings, capped when they name different places or numbers.

    None when the score is sure to stay below `floor`, found before the costly word-by-word
    comparison: most candidates a search looks at end there.
    """
    if x.norm == y.norm:
        return NameVerdict(100.0, SAME, x, y, _BY_SPELLING)
    base = max(
        fuzz.ratio(x.norm, y.norm),
        fuzz.token_sort_ratio(x.norm, y.norm),
        fuzz.ratio(x.joined, y.joined),
    )
    acronym = _acronym_hit(x, y)
    if acronym:
        acronym_score = 90.0 if len(acronym) >= 4 else 80.0
        if acronym_score >= base:
            return NameVerdict(acronym_score, SAME, x, y, _BY_ACRONYM)
    # Past here the score is at most the likeness, or 88 by the weak-words rule.
    if base < floor and not _weak_words_possible(x, y):
        return None
    ux, uy = _differences(x, y)
    kind = _kind(ux, uy)
    if kind == EXTRA and all(t in WEAK_TOKENS for t in ux or uy):
        shorter = y if ux else x
        # "KCRW" and "KCRW Foundation" are one org; "Smith" and "Smith Foundation" may not be.
        strong = shorter.has_acronym and len(shorter.tokens) == 1
        return NameVerdict(
            max(base, 88.0 if strong else 80.0),
            SAME if strong else EXTRA,
            x,
            y,
            _BY_WEAK_WORDS,
            base,
            tuple(ux),
            tuple(uy),
        )
    score = min(float(base), _NAME_CAPS[kind])
    return NameVerdict(score, kind, x, y, _BY_LIKENESS, base, tuple(ux), tuple(uy))


def _best_names(
    a: Profile, b: Profile, *, floor: float
) -> tuple[NameVerdict, NameForm, NameForm] | None:
    best: tuple[NameVerdict, NameForm, NameForm] | None = None
    for x in a.forms:
        for y in b.forms:
            verdict = compare_names(x, y, floor=floor)
            if verdict is None:
                continue
            if best is None or (verdict.score, -verdict.kind) > (best[0].score, -best[0].kind):
                best = (verdict, x, y)
    return best


def _name_reason(verdict: NameVerdict, x: NameForm, y: NameForm) -> str:
    other = next((f for f in (x, y) if f.source in ("alias", "dba")), None)
    if other is None:
        return verdict.reason
    label = "alias" if other.source == "alias" else "DBA name"
    if verdict.score >= 100:
        return f"{label} '{other.raw}' matches"
    return f"{label} '{other.raw}' matches ({verdict.reason})"


def compare(a: Profile, b: Profile) -> tuple[float, str, tuple[str, ...]] | None:
    """(score, level, reasons) for two profiles, or None below the POSSIBLE level."""
    if not a.forms or not b.forms:
        return None
    shares_identifier = (
        (a.domain and a.domain == b.domain)
        or (a.ein and a.ein == b.ein)
        or (a.phone and a.phone == b.phone)
        or (a.address and a.address == b.address)
    )
    # Without a shared identifier nothing lifts the name score, so most candidates stop early.
    best = _best_names(a, b, floor=0.0 if shares_identifier else POSSIBLE_AT)
    if best is None:
        return None
    verdict, x, y = best
    score = verdict.score
    reasons: list[str] = []
    strong = False
    corroborated = False
    if a.domain and a.domain == b.domain:
        score += DOMAIN_WEIGHT * (100.0 - score)
        reasons.append(f"same website domain ({a.domain})")
        strong = corroborated = True
    if a.ein and a.ein == b.ein:
        score += EIN_WEIGHT * (100.0 - score)
        reasons.append("same EIN")
        strong = True
    if a.phone and a.phone == b.phone:
        score += PHONE_WEIGHT * (100.0 - score)
        reasons.append("same phone")
        strong = corroborated = True
    if a.address and a.address == b.address:
        score += ADDRESS_WEIGHT * (100.0 - score)
        reasons.append("same street address and ZIP")
        strong = corroborated = True
    if strong:
        score = max(score, POSSIBLE_AT)
    if a.ein and b.ein and a.ein != b.ein:
        score -= DIFFERENT_EIN_PENALTY
        reasons.append("but different EINs")
    if a.domain and b.domain and a.domain != b.domain:
        score -= DIFFERENT_DOMAIN_PENALTY
        reasons.append("but different websites")
    # Same website and same phone outweigh a renamed org; sponsor siblings rarely share both.
    rebrand = (
        verdict.kind == CONFLICT
        and a.domain == b.domain != ""
        and (a.phone == b.phone != "" or a.address == b.address != "")
    )
    if not (verdict.kind == EXTRA and corroborated) and not rebrand:
        # A shared EIN alone never lifts an added-words name: fiscal sponsors share EINs.
        score = min(score, _FINAL_CAPS[verdict.kind])
    level = level_for(score)
    if level is None:
        return None
    if verdict.score >= 60 or not strong:
        reasons.insert(0, _name_reason(verdict, x, y))
    if verdict.note:
        reasons.append(verdict.note)
    return round(max(0.0, min(100.0, score)), 1), level, tuple(reasons)
