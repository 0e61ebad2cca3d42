"""Search published partners by need, in English or Spanish: names, services, focus groups and
descriptions, accent-insensitive and typo-tolerant, ranked, each result with why it matched."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from django.db.models import CharField, Value
from rapidfuzz import fuzz, process

from crm.models import Partner
from crm.selectors.figures import published_partners, published_through

# Everyday words families use for each service, in both languages (folded: no accents).
NEED_WORDS = {
    "food-security": "food comida alimentos alimento despensa pantry groceries hambre meals",
    "mental-health": "counseling counselor therapy therapist consejeria terapia psicologo",
    "academic-support": "tutoring tutor tutoria tutorias homework tarea tareas",
    "health": "clinic clinica doctor medico medical dental dentista vaccines vacunas",
    "housing": "rent renta shelter refugio homeless vivienda casa",
    "legal": "lawyer abogado immigration inmigracion",
    "basic-needs": "clothing clothes ropa diapers panales shoes zapatos",
    "early-childhood": "preschool preescolar daycare guarderia",
    "workforce": "jobs job trabajo empleo",
    "digital-access": "internet computer computadora laptop wifi",
    "college-access": "college universidad financial aid",
    "sports-recreation": "soccer futbol",
}
STOPWORDS = frozenset(
    "a an and the for of in to with near my de del la las el los para y en con por un una".split()
)
WEIGHTS = {"name": 3.0, "service": 2.5, "group": 2.0, "description": 1.0}
FUZZY_CUTOFF = 85
MAX_RESULTS = 500


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: "Tutoría" and "tutoria" are equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", plain.casefold()).strip()


def words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOPWORDS and len(w) > 1]


@dataclass(frozen=True)
class Reason:
    """Why a partner matched: the kind of field and its label in English and Spanish."""

    kind: str
    label: str = ""
    label_es: str = ""


@dataclass
class NeedIndex:
    # word -> {partner id: {reason: weight}}
    postings: dict[str, dict[int, dict[Reason, float]]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)

    def add(self, word: str, pk: int, reason: Reason) -> None:
        slot = self.postings.setdefault(word, {}).setdefault(pk, {})
        slot[reason] = WEIGHTS[reason.kind]


def _labels() -> dict[int, list[tuple[str, str, str, str]]]:
    """Each published partner's services and focus groups, read in one query:
    partner id -> [(kind, slug, name, name_es)]."""

    def tagged(tag: str):
        return Value(tag, output_field=CharField())

    services = Partner.service_categories.through.objects.filter(published_through()).values_list(
        "partner_id",
        tagged("service"),
        "servicecategory__slug",
        "servicecategory__name",
        "servicecategory__name_es",
    )
    groups = Partner.equity_focus_groups.through.objects.filter(published_through()).values_list(
        "partner_id",
        tagged("group"),
        "equityfocusgroup__slug",
        "equityfocusgroup__name",
        "equityfocusgroup__name_es",
    )
    out: dict[int, list[tuple[str, str, str, str]]] = {}
    for pk, kind, slug, name, name_es in services.union(groups, all=True):
        out.setdefault(pk, []).append((kind, slug, name, name_es))
    return out


def need_index_build() -> NeedIndex:
    """The need index over every published partner (public search keeps one per process)."""
    index = NeedIndex()
    labels = _labels()
    rows = published_partners().values_list("id", "name", "description", "description_es")
    for pk, name, description, description_es in rows.iterator(chunk_size=2000):
        for w in words(name):
            index.add(w, pk, Reason("name"))
        for kind, slug, label, label_es in labels.get(pk, ()):
            extra = NEED_WORDS.get(slug, "") if kind == "service" else ""
            reason = Reason(kind, label, label_es)
            for w in words(f"{label} {label_es} {extra}"):
                index.add(w, pk, reason)
        for w in set(words(f"{description} {description_es}")):
            index.add(w, pk, Reason("description"))
    index.vocabulary = sorted(index.postings)
    return index


def _similar(index: NeedIndex, word: str) -> list[tuple[str, float]]:
    """Vocabulary words close to `word`: itself, words it begins (4+ letters), near spellings."""
    found = {word: 1.0} if word in index.postings else {}
    if len(word) >= 4:
        # The vocabulary is sorted, so the words it begins sit together right after it.
        vocabulary = index.vocabulary
        for at in range(bisect_right(vocabulary, word), len(vocabulary)):
            if not vocabulary[at].startswith(word):
                break
            found.setdefault(vocabulary[at], 0.9)
    if len(word) >= 5:
        for candidate, score, _ in process.extract(
            word, index.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        ):
            found.setdefault(candidate, score / 100)
    return list(found.items())


def need_search(
    text: str, *, index: NeedIndex, name_hits: list[tuple[int, float]] = ()
) -> list[tuple[int, list[Reason]]]:
    """Partner ids best first, each with the reasons it matched. `name_hits` are the name
    matcher's (id, score 0..100) hits: it knows "Boys and Girls" is "Boys & Girls Club"."""
    scores: dict[int, float] = {}
    reasons: dict[int, dict[Reason, None]] = {}
    for pk, score in name_hits:
        # A near-certain name match outranks any need match; a loose one counts as a name word.
        scores[pk] = 10.0 + score / 100 if score >= 90 else WEIGHTS["name"] * score / 100
        reasons.setdefault(pk, {})[Reason("name")] = None
    for word in dict.fromkeys(words(text)):
        best: dict[int, float] = {}
        for candidate, similarity in _similar(index, word):
            for pk, hits in index.postings[candidate].items():
                for reason, weight in hits.items():
                    best[pk] = max(best.get(pk, 0.0), weight * similarity)
                    reasons.setdefault(pk, {})[reason] = None
        for pk, value in best.items():
            scores[pk] = scores.get(pk, 0.0) + value
    ranked = sorted(scores, key=lambda pk: -scores[pk])[:MAX_RESULTS]
    return [(pk, list(reasons[pk])) for pk in ranked]
