"""Turn raw organization names into comparable forms (identifiers are in `identifiers.py`).

Pure functions only; `analyze_name` keeps what it removed so matches can be explained.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from crm.dedup.vocabulary import (
    ABBREVIATIONS,
    COUNTY_CONTEXT,
    LA_CONTEXT,
    LEGAL_SUFFIXES,
    NUMBER_WORDS,
    STOPWORDS,
    WEAK_TOKENS,
)

__all__ = [
    "NameForm",
    "acronym_of",
    "analyze_name",
    "compound_parts",
    "name_forms",
    "normalize_name",
    "tokens",
]

_ALT_SPLIT = re.compile(
    r"\s*[,;(]?\s*\b(?:d\s*/\s*b\s*/\s*a|d\.\s?b\.\s?a\.?|dba|doing\s+business\s+as|"
    r"a\s*/\s*k\s*/\s*a|a\.k\.a\.?|aka|f\s*/\s*k\s*/\s*a|f\.k\.a\.?|fka|"
    r"formerly(?:\s+known\s+as)?|also\s+known\s+as)\b[\s:.,]*",
    re.IGNORECASE,
)
_TAILS = (
    re.compile(
        r"[\s,;(\-]*\b(?:a|an)\s+(?:project|program|programme|initiative|affiliate|division|"
        r"subsidiary|sponsored\s+project|fiscally\s+sponsored\s+project)\s+of\b.*$",
        re.IGNORECASE,
    ),
    re.compile(r"[\s,;(\-]*\b(?:fiscally\s+)?sponsored\s+by\b.*$", re.IGNORECASE),
    re.compile(r"[\s,;(\-]*\bunder\s+(?:the\s+)?fiscal\s+sponsorship\s+of\b.*$", re.IGNORECASE),
    re.compile(r"[\s,;(\-]*\bfiscal\s+sponsor\s*:.*$", re.IGNORECASE),
    re.compile(r"[\s,;(\-]*\b(?:c\s*/\s*o|care\s+of)\b.*$", re.IGNORECASE),
    re.compile(r"[\s,;(\-]*\battn\b.*$", re.IGNORECASE),
)
_PAREN = re.compile(r"\(([^()]*)\)?")
_PAREN_ALT = re.compile(
    r"^\s*(?:formerly|aka|a\.k\.a\.|fka|dba|also known as)\s+(.+)$", re.IGNORECASE
)
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}(?:[A-Za-z]\b)?")
# A legal form and then a comma: what follows is where the organization is ("X N.V., Delft, NL").
_LEGAL_THEN_PLACE = re.compile(
    r"^(.*\S.*?\b(?:inc|llc|ltd|corp|plc|gmbh|srl|sarl|spa|pty|"
    r"n\.?\s?v|b\.?\s?v|a\.?\s?g|s\.?\s?a)\.?)\s*,.*$",
    re.IGNORECASE,
)
_AMP_ACRONYM = re.compile(r"\b([A-Za-z]{1,2})\s?&\s?([A-Za-z]{1,2})\b")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'"})
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class NameForm:
    """One comparable spelling of a name (the name itself, a DBA part, an alias)."""

    raw: str
    norm: str
    tokens: tuple[str, ...]
    removed: tuple[str, ...]
    core: str
    initials: str
    has_acronym: bool
    source: str = "name"
    initials_all: str = ""
    # Derived once for the scorer, which compares each form against many others.
    token_set: frozenset[str] = frozenset()
    distinct: tuple[str, ...] = ()  # tokens that are not stopwords, first occurrence each
    joined: str = ""  # norm without spaces


def _fold(text: str) -> str:
    if text.isascii():
        # Nothing to decompose or strip; most names take this path.
        return text
    text = unicodedata.normalize("NFKD", text.translate(_DASHES))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _split_alternates(text: str) -> list[str]:
    return [part.strip(" ,;-()") for part in _ALT_SPLIT.split(text) if part.strip(" ,;-()")]


def _strip_tails(text: str, removed: list[str]) -> str:
    for pattern in _TAILS:
        found = pattern.search(text)
        # Never strip the whole name: "C/O Foundation" stays a name.
        if found and found.start() > 0 and text[: found.start()].strip():
            removed.append(found.group(0).strip(" ,;(-)"))
            text = text[: found.start()]
    return text


def _is_upper_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalnum() and letters.isupper()


def _pull_parentheticals(text: str, alternates: list[str]) -> str:
    def replace(found: re.Match[str]) -> str:
        inner = found.group(1).strip()
        alt = _PAREN_ALT.match(inner)
        if alt:
            alternates.append(alt.group(1))
            return " "
        if _is_upper_acronym(inner):
            # "(LAUSD)" names the same org by its acronym; keep it as another spelling.
            alternates.append(inner)
            return " "
        return f" {inner} "

    return _PAREN.sub(replace, text).replace(")", " ")


def _raw_tokens(text: str) -> list[tuple[str, str, bool]]:
    """(lowercase token, surface text, was written in capitals) for a folded name."""
    text = text.replace("'", "").replace("`", "")
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    text = _AMP_ACRONYM.sub(r"\1\2", text)
    text = text.replace("&", " and ").replace("+", " and ")
    out = []
    for found in _TOKEN.finditer(text):
        word = found.group(0)
        end = found.end()
        surface = word + "." if end < len(text) and text[end] == "." else word
        out.append((word.lower(), surface, word.isupper() and len(word) > 1))
    return _join_initials(out)


def _join_initials(toks: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
    """Initials typed with spaces or stray dots ("Y M C A", "N. V.", "D S M") make one word."""
    out: list[tuple[str, str, bool]] = []
    run: list[tuple[str, str, bool]] = []
    for tok in [*toks, ("", "", False)]:
        if len(tok[0]) == 1 and tok[0].isalpha():
            run.append(tok)
            continue
        if len(run) > 1:
            letters = "".join(t[1].rstrip(".") for t in run)
            out.append((letters.lower(), letters, letters.isupper()))
        else:
            out += run
        run = []
        if tok[0]:
            out.append(tok)
    return out


def _expand(toks: list[tuple[str, str, bool]], case_known: bool) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    n = len(toks)
    for i, (tok, _surface, upper) in enumerate(toks):
        nxt = toks[i + 1][0] if i + 1 < n else ""
        prev = toks[i - 1][0] if i > 0 else ""
        if tok == "la":
            # Capitals ("LA") settle it; otherwise the next word does, whatever the case, so a
            # normalized (lower-case) name normalizes to itself. A word before "la" is no
            # guide: "Friends of La Habra" is a place, "Heart of LA" the city.
            means_la = (upper and case_known) or not nxt or nxt in LA_CONTEXT
            if means_la:
                out += [("los", False), ("angeles", False)]
                continue
        if tok == "co" and (prev in COUNTY_CONTEXT or nxt in {"department", "dept", "office"}):
            out.append(("county", False))
            continue
        if tok == "st" and i + 1 < n and not prev.isdigit():
            out.append(("saint", False))
            continue
        if tok in {"n", "s", "e", "w"} and i + 1 == n:
            # A lone letter at the end is an initial or a grade, not a compass direction.
            out.append((tok, upper))
            continue
        if tok in NUMBER_WORDS:
            out.append((NUMBER_WORDS[tok], False))
            continue
        expanded = ABBREVIATIONS.get(tok)
        if expanded and not (upper and case_known and tok in {"cal", "med", "dev", "edu"}):
            out += [(word, False) for word in expanded.split()]
            continue
        out.append((tok, upper))
    return out


_FUZZY_SUFFIXES = ("company", "corporation", "incorporated")


def _is_legal_typo(word: str) -> bool:
    # "Cmopany", "Corportion": long suffixes are often mistyped in hand-entered data.
    return len(word) >= 6 and any(
        OSA.distance(word, suffix, score_cutoff=1) <= 1 for suffix in _FUZZY_SUFFIXES
    )


def _strip_legal(
    toks: list[tuple[str, str, bool]], removed: list[str]
) -> list[tuple[str, str, bool]]:
    changed = True
    while changed and len(toks) > 1:
        changed = False
        words = [t[0] for t in toks]
        for suffix in LEGAL_SUFFIXES:
            k = len(suffix)
            if len(words) > k and tuple(words[-k:]) == suffix:
                if suffix == ("co",) and words[-2] in COUNTY_CONTEXT:
                    continue
                removed.append(" ".join(t[1] for t in toks[-k:]))
                toks = toks[:-k]
                changed = True
                break
        if not changed and len(toks) > 1 and _is_legal_typo(toks[-1][0]):
            removed.append(toks[-1][1])
            toks = toks[:-1]
            changed = True
    return toks


def _acronym_like(tok: str, upper: bool, case_known: bool, alone: bool) -> bool:
    if not tok.isalpha() or not 2 <= len(tok) <= 8:
        return False
    if case_known:
        return upper
    return (len(tok) <= 6 and not (_VOWELS & set(tok))) or (alone and len(tok) <= 6)


@lru_cache(maxsize=65536)
def _analyze(name: str, source: str) -> NameForm | None:
    removed: list[str] = []
    text = _fold(" ".join(name.split()))
    text = _strip_tails(text, removed)
    place = _LEGAL_THEN_PLACE.match(text)
    if place:
        removed.append(text[place.end(1) :].strip(" ,"))
        text = place.group(1)
    alternates: list[str] = []
    text = _pull_parentheticals(text, alternates)
    letters = [ch for ch in text if ch.isalpha()]
    case_known = any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters)
    raw = _raw_tokens(text)
    while len(raw) > 1 and raw[0][0] == "the":
        removed.append(raw[0][1])
        raw = raw[1:]
    raw = _strip_legal(raw, removed)
    if not raw:
        return None
    expanded = _expand(raw, case_known)
    words = tuple(tok for tok, _ in expanded)
    alone = len(expanded) == 1
    initials = []
    initials_all = []
    has_acronym = False
    for tok, upper in expanded:
        if _acronym_like(tok, upper, case_known, alone) and tok not in STOPWORDS:
            letters = tok
            has_acronym = True
        else:
            letters = tok if tok.isdigit() else tok[0]
        # Some acronyms keep "of"/"and" (VOALA), most drop them (LAUSD): keep both.
        if tok != "the":
            initials_all.append(letters)
        if tok not in STOPWORDS:
            initials.append(letters)
    norm = " ".join(words)
    core = " ".join(t for t in words if t not in WEAK_TOKENS) or norm
    return NameForm(
        raw=name.strip(),
        norm=norm,
        tokens=words,
        removed=tuple(removed),
        core=core,
        initials="".join(initials),
        has_acronym=has_acronym,
        source=source,
        initials_all="".join(initials_all),
        token_set=frozenset(words),
        distinct=tuple(t for t in dict.fromkeys(words) if t not in STOPWORDS),
        joined=norm.replace(" ", ""),
    )


# Where one cell names several organizations, or the partner and its host ("X @ Y").
_LEAD_SPLIT = re.compile(
    r"\s+(?:@|at|powered\s+by|presented\s+by|hosted\s+by|in\s+partnership\s+with|by)\s+",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"\s*[;|]\s*|\s+/\s+|\s+(?:&|\+|and)\s+|\s*,\s*", re.IGNORECASE)


def _part_ok(form: NameForm | None) -> bool:
    # A part must identify something on its own: two real words, or a written acronym.
    return form is not None and (
        len(form.distinct) >= 2 or (form.has_acronym and len(form.joined) >= 3)
    )


def compound_parts(text: str) -> list[str]:
    """The organizations one compound name is made of: 'X & Y', 'X; Y', 'X / Y', lists of
    several, and the partner of 'X @ Y', 'X powered by Y', 'X by Y'. Empty when it is one."""
    lead = _LEAD_SPLIT.split(text, maxsplit=1)
    if len(lead) == 2 and _part_ok(_analyze(lead[0], "part")):
        return [lead[0].strip(" ,;-")]
    pieces = [p for p in _LIST_SPLIT.split(text) if p and p.strip(" ,;-")]
    if len(pieces) < 2:
        return []
    # A legal suffix after a comma ("X, Inc.") is part of the name, not another organization.
    if not all(_part_ok(_analyze(p, "part")) for p in pieces):
        return []
    return [p.strip(" ,;-") for p in pieces]


def analyze_name(name: str, *, source: str = "name") -> NameForm | None:
    """The normalized form of one spelling, or None when nothing identifying is left."""
    return _analyze(name, source)


def name_forms(name: str, *, aliases: tuple[str, ...] = ()) -> tuple[NameForm, ...]:
    """Every spelling a record answers to: its name, DBA/AKA parts, (ACRONYM)s, the parts of a
    compound name, and aliases."""
    return _name_forms(name, tuple(aliases))


@lru_cache(maxsize=1 << 16)
def _name_forms(name: str, aliases: tuple[str, ...]) -> tuple[NameForm, ...]:
    # Cached: chains repeat one name across hundreds of rows.
    forms: list[NameForm] = []
    seen: set[str] = set()

    def add(text: str, source: str) -> None:
        form = _analyze(text, source)
        if form and form.norm not in seen:
            seen.add(form.norm)
            forms.append(form)

    for base, source in [(name, "name")] + [(a, "alias") for a in aliases]:
        folded = _fold(" ".join((base or "").split()))
        parts = _split_alternates(folded)
        paren_alts: list[str] = []
        for i, part in enumerate(parts):
            _pull_parentheticals(part, paren_alts)
            add(part, source if i == 0 else "dba")
        if source == "name" and parts:
            for piece in compound_parts(_strip_tails(_pull_parentheticals(parts[0], []), [])):
                add(piece, "part")
        for alt in paren_alts:
            add(alt, source if source == "alias" else "acronym")
    return tuple(forms)


def normalize_name(name: str) -> str:
    """Lowercase, unaccented, suffix-free, abbreviation-expanded form of an org name."""
    forms = name_forms(name)
    return forms[0].norm if forms else ""


def tokens(name: str) -> tuple[str, ...]:
    """The words of `normalize_name(name)`."""
    forms = name_forms(name)
    return forms[0].tokens if forms else ()


def acronym_of(name: str) -> str:
    """Initials of the significant words: 'Los Angeles Unified School District' -> 'lausd'."""
    forms = name_forms(name)
    return forms[0].initials if forms else ""
