"""Compare two organization names and say how they differ; the record profile and results.

The name verdict here feeds the name comparison of the probabilistic model (`crm.dedup.model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from crm.dedup.fields import Address, Phone, parse_address, parse_phone
from crm.dedup.identifiers import normalize_ein, normalize_zip, website_domain
from crm.dedup.normalize import NameForm, name_forms
from crm.dedup.record import Record
from crm.dedup.vocabulary import STOPWORDS, WEAK_TOKENS

LIKELY = "likely"
POSSIBLE = "possible"
LEVEL_RANK = {LIKELY: 2, POSSIBLE: 1}

# Names less alike than this (and no acronym or weak-word rule) fall to the model's lowest
# name levels, whose weights are negative: such a pair needs agreeing fields to be shown.
POSSIBLE_AT = 70.0

# Name-difference kinds, worst last; each caps the likeness score (see _NAME_CAPS).
SAME, EXTRA, CONFLICT, NUMBER = 0, 1, 2, 3
_NAME_CAPS = {SAME: 100.0, EXTRA: 84.0, CONFLICT: 65.0, NUMBER: 60.0}


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate duplicate for one query record."""

    id: str | int
    name: str
    score: float
    level: str
    reasons: tuple[str, ...]
    weight: float = 0.0  # match weight in bits (sum of log2 m/u, prior included)
    probability: float = 0.0


@dataclass(frozen=True, slots=True)
class Pair:
    """A candidate duplicate pair found by a scan; left was added to the index first."""

    left_id: str | int
    right_id: str | int
    score: float
    level: str
    reasons: tuple[str, ...]
    weight: float = 0.0
    probability: float = 0.0


@dataclass(frozen=True, slots=True)
class Profile:
    """A record with everything the scorer needs, normalized once."""

    record: Record
    forms: tuple[NameForm, ...]
    domain: str
    ein: str
    phone: str  # the number, for blocking and equality
    address: str  # house number, street and ZIP, for blocking and equality
    phone_parts: Phone | None = None
    address_parts: Address | None = None
    zip: str = ""
    sponsored: bool = False  # the name says it is a sponsored project: its EIN is the sponsor's


_SPONSOR_WORDS = ("sponsor", "project of", "program of", "initiative of", "programme of")


def build_profile(record: Record) -> Profile:
    """Normalize every field of `record` once so comparisons stay cheap."""
    forms = name_forms(record.name or "", aliases=tuple(record.aliases or ()))
    phone = parse_phone(record.phone or "")
    address = parse_address(record.street or "", record.zip or "")
    zip_code = normalize_zip(record.zip) or (address.zip if address else "")
    removed = " ".join(r.lower() for f in forms[:1] for r in f.removed)
    return Profile(
        record=record,
        forms=forms,
        domain=website_domain(record.website),
        ein=normalize_ein(record.ein),
        phone=phone.number if phone else "",
        address=address.key if address and address.zip else "",
        phone_parts=phone,
        address_parts=address,
        zip=zip_code,
        sponsored=any(word in removed for word in _SPONSOR_WORDS),
    )


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
    if len(ux) == len(uy) and all(map(_abbreviates, ux, uy)):
        # Words cut short, and nothing else differs: "Koninkl", "Univ", "Ind" for "Industries".
        return [], []
    return ux, uy


def _abbreviates(a: str, b: str) -> bool:
    short, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer.startswith(short) and (len(short) >= 4 or (len(short) == 3 and len(longer) >= 9))


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
BY_SPELLING, BY_ACRONYM, BY_WEAK_WORDS, BY_LIKENESS = range(4)


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
        if self.path == BY_SPELLING:
            note = _removed_note(x, y)
            if not note and x.raw.casefold() != y.raw.casefold():
                note = " apart from punctuation and abbreviations"
            return "same name" + note
        if self.path == BY_ACRONYM:
            longer = x if len(x.tokens) >= len(y.tokens) else y
            return f"acronym of '{longer.raw}'"
        if self.path == BY_WEAK_WORDS:
            return f"same name apart from {_quote_words(self.ux or self.uy)}"
        return f"name {round(self.base)}% alike" + _removed_note(x, y)

    @property
    def note(self) -> str:
        if self.path != BY_LIKENESS:
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
        return NameVerdict(100.0, SAME, x, y, BY_SPELLING)
    base = max(
        fuzz.ratio(x.norm, y.norm),
        fuzz.token_sort_ratio(x.norm, y.norm),
        fuzz.ratio(x.joined, y.joined),
    )
    acronym = _acronym_hit(x, y)
    if acronym:
        acronym_score = 90.0 if len(acronym) >= 4 else 80.0
        if acronym_score >= base:
            return NameVerdict(acronym_score, SAME, x, y, BY_ACRONYM, float(len(acronym)))
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
            BY_WEAK_WORDS,
            base,
            tuple(ux),
            tuple(uy),
        )
    score = min(float(base), _NAME_CAPS[kind])
    return NameVerdict(score, kind, x, y, BY_LIKENESS, base, tuple(ux), tuple(uy))
