"""Search published partners by need, in English or Spanish: names, services, focus groups and
descriptions, accent-insensitive and typo-tolerant, ranked, each result with why it matched."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from django.db.models import CharField, Value

from crm.models import Partner
from crm.selectors.figures import published_partners, published_through
from crm.selectors.need_index import NeedIndex, NeedIndexBuilder, Reason, similar_words

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
MAX_RESULTS = 500
NAME = Reason("name")
DESCRIPTION = Reason("description")


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: "Tutoría" and "tutoria" are equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", plain.casefold()).strip()


def words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOPWORDS and len(w) > 1]


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
    """The need index over every published partner (public search keeps one per process).
    Partners are added in name order, so equally good matches are listed alphabetically."""
    index = NeedIndexBuilder()
    labels = _labels()
    rows = published_partners().order_by("name", "id")
    rows = rows.values_list("id", "name", "description", "description_es")
    for pk, name, description, description_es in rows.iterator(chunk_size=2000):
        for w in words(name):
            index.add(w, pk, NAME, WEIGHTS["name"])
        for kind, slug, label, label_es in labels.get(pk, ()):
            extra = NEED_WORDS.get(slug, "") if kind == "service" else ""
            reason = Reason(kind, label, label_es)
            for w in words(f"{label} {label_es} {extra}"):
                index.add(w, pk, reason, WEIGHTS[kind])
        for w in set(words(f"{description} {description_es}")):
            index.add(w, pk, DESCRIPTION, WEIGHTS["description"])
    return index.build()


def _top(scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` best positive scores, best first, ties in position order."""
    hit = np.flatnonzero(scores > 0)
    if len(hit) > limit:
        values = scores[hit]
        cut = np.partition(values, len(hit) - limit)[len(hit) - limit]
        above, at = hit[values > cut], hit[values == cut]
        hit = np.concatenate((above, at[: limit - len(above)]))
    return hit[np.lexsort((hit, -scores[hit]))]


def need_search(
    text: str, *, index: NeedIndex, name_hits: list[tuple[int, float]] = ()
) -> list[tuple[int, list[Reason]]]:
    """Partner ids best first, each with the reasons it matched. `name_hits` are the name
    matcher's (id, score 0..100) hits: it knows "Boys and Girls" is "Boys & Girls Club"."""
    scores = np.zeros(len(index), dtype=np.float64)
    named: set[int] = set()
    for pk, score in name_hits:
        position = index.position_of(pk)
        # Both indexes are built from one stamp of published partners; a partner published
        # between their two reads is found once the stamp moves and both are rebuilt.
        if position is None:
            continue
        # A near-certain name match outranks any need match; a loose one counts as a name word.
        scores[position] = 10.0 + score / 100 if score >= 90 else WEIGHTS["name"] * score / 100
        named.add(position)
    matched: list[list[tuple[str, float]]] = []
    best = np.zeros(len(index), dtype=np.float64)
    for word in dict.fromkeys(words(text)):
        similar = similar_words(index, word)
        matched.append(similar)
        best.fill(0.0)
        for candidate, similarity in similar:
            held = index.postings[candidate]
            at = held.positions
            best[at] = np.maximum(best[at], held.weights * similarity)
        scores += best
    out = []
    for position in _top(scores, MAX_RESULTS).tolist():
        reasons: dict[Reason, None] = {NAME: None} if position in named else {}
        for similar in matched:
            for candidate, _ in similar:
                for reason_id in index.postings[candidate].reasons_at(position).tolist():
                    reasons[index.reasons[reason_id]] = None
        out.append((int(index.ids[position]), list(reasons)))
    return out
