"""The demo partners' service details as plain data: whether they take referrals, how many a month,
languages, grades, hours and eligibility in English and Spanish. A seeded random.Random of its
own keeps the rest of the plan unchanged."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# (value, weight): most partners take referrals; some have a waitlist; a few say nothing.
CAPACITY = (("accepting", 60), ("waitlist", 18), ("not_accepting", 9), ("", 13))
COST = (("free", 58), ("sliding_scale", 22), ("fee", 8), ("", 12))
# Spoken in Los Angeles County homes after English and Spanish, by how often a partner offers it.
OTHER_LANGUAGES = (
    ("hy", 5),
    ("ko", 5),
    ("cmn", 4),
    ("yue", 3),
    ("tl", 4),
    ("vi", 3),
    ("ru", 1),
    ("fa", 2),
    ("ar", 2),
    ("ja", 1),
    ("km", 2),
    ("ase", 1),
)
# Grades served, by the services a partner offers first; "" when the partner does not say.
GRADES_BY_CATEGORY = {
    "early-childhood": (("pk", "k"), ("pk", "2"), ("tk", "3")),
    "college-access": (("9", "12"), ("11", "12"), ("8", "12")),
    "adult-education": (("adult", "adult"),),
    "workforce": (("9", "adult"), ("11", "adult")),
    "academic-support": (("k", "5"), ("3", "8"), ("6", "12"), ("k", "12")),
    "youth-development": (("k", "8"), ("6", "12"), ("3", "12")),
    "sports-recreation": (("k", "8"), ("tk", "12")),
    "family-engagement": (("pk", "12"), ("pk", "adult")),
}
GRADES_ANY = (("pk", "12"), ("k", "12"), ("pk", "adult"), ("", ""))
# (English, Spanish) opening hours.
HOURS = (
    ("Mon–Fri 9 am–5 pm", "lun–vie 9 a. m.–5 p. m."),
    ("Mon–Fri 8 am–6 pm; Sat 9 am–1 pm", "lun–vie 8 a. m.–6 p. m.; sáb 9 a. m.–1 p. m."),
    ("Mon–Thu 10 am–7 pm", "lun–jue 10 a. m.–7 p. m."),
    ("Tue and Thu 3–6 pm, after school", "mar y jue 3–6 p. m., después de clases"),
    ("Saturdays 9 am–12 pm", "sábados 9 a. m.–12 p. m."),
    ("By appointment, weekdays", "Con cita, entre semana"),
    ("24 hours, every day (hotline)", "24 horas, todos los días (línea de ayuda)"),
)
# (flag, weight, English note, Spanish note): what a family should know before a referral.
ELIGIBILITY = (
    (
        "any_immigration_status",
        30,
        "Families are served regardless of immigration status.",
        "Se atiende a las familias sin importar su estatus migratorio.",
    ),
    (
        "no_insurance_needed",
        25,
        "No health insurance is needed.",
        "No se necesita seguro médico.",
    ),
    (
        "medi_cal",
        12,
        "Bring the Medi-Cal card to the first visit.",
        "Traiga la tarjeta de Medi-Cal a la primera visita.",
    ),
    (
        "income_limits",
        14,
        "Income limits apply; bring a recent pay stub.",
        "Hay límites de ingresos; traiga un talón de pago reciente.",
    ),
    (
        "county_residents",
        10,
        "For residents of Los Angeles County.",
        "Para residentes del condado de Los Ángeles.",
    ),
    (
        "referral_required",
        15,
        "The school coordinator makes the referral.",
        "La coordinadora de la escuela hace la referencia.",
    ),
)


@dataclass
class ServiceDetails:
    """One partner's service details, named as Partner's PARTNER_SERVICE_FIELDS."""

    accepting_referrals: str = ""
    monthly_capacity: int | None = None
    languages: list[str] = field(default_factory=list)
    grades_from: str = ""
    grades_to: str = ""
    hours: str = ""
    hours_es: str = ""
    cost: str = ""
    eligibility: list[str] = field(default_factory=list)
    eligibility_notes: str = ""
    eligibility_notes_es: str = ""


def _weighted(rng: random.Random, pairs):
    return rng.choices([p for p, *_ in pairs], weights=[w for _, w, *_ in pairs])[0]


def service_details(categories: list[str], rng: random.Random) -> ServiceDetails:
    """Believable details for a partner offering these services (slugs, first is its main one)."""
    d = ServiceDetails(accepting_referrals=_weighted(rng, CAPACITY), cost=_weighted(rng, COST))
    if d.accepting_referrals in ("accepting", "waitlist") and rng.random() < 0.8:
        d.monthly_capacity = rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200))
    d.languages = ["en"] + (["es"] if rng.random() < 0.82 else [])
    while rng.random() < 0.35 and len(d.languages) < 5:
        other = _weighted(rng, OTHER_LANGUAGES)
        if other not in d.languages:
            d.languages.append(other)
    if rng.random() < 0.06:
        d.languages = []  # not stated
    bands = next((GRADES_BY_CATEGORY[c] for c in categories if c in GRADES_BY_CATEGORY), GRADES_ANY)
    d.grades_from, d.grades_to = rng.choice(bands)
    if rng.random() < 0.85:
        d.hours, d.hours_es = rng.choice(HOURS)
    flags = [e for e in ELIGIBILITY if rng.random() < e[1] / 100]
    d.eligibility = [flag for flag, *_ in flags]
    if flags and rng.random() < 0.75:
        d.eligibility_notes = " ".join(en for *_, en, _es in flags)
        d.eligibility_notes_es = " ".join(es for *_, es in flags)
    return d


def partner_service_details(categories_of: list[list[str]], *, seed: int) -> list[ServiceDetails]:
    """Details for each partner, given each one's services, in the plan's order; the same seed
    gives the same details."""
    rng = random.Random(seed + 25)
    return [service_details(categories, rng) for categories in categories_of]
