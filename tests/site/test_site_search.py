"""Search by need in English and Spanish: services, focus groups, descriptions and names,
accent-insensitive, typo-tolerant, ranked, and each result says why it matched."""

from __future__ import annotations

import re

import pytest

from crm.models import ServiceCategory
from crm.selectors.need_search import fold
from tests.factories import make_partner


def results(client, url: str) -> list[tuple[str, str]]:
    body = client.get(url).content.decode()
    names = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', body)
    why = re.findall(r'<p class="match-reason">([^<]+)</p>', body)
    return list(zip(names, why, strict=True))


FOOD = {"Harbor Food Pantry", "Acme Savings Bank"}


@pytest.fixture
def need_world(public_world):
    # The reference vocabulary's names, which the everyday need words hang on.
    ServiceCategory.objects.filter(pk=public_world.food.pk).update(
        slug="food-security", name="Food security", name_es="Seguridad alimentaria"
    )
    ServiceCategory.objects.filter(pk=public_world.tutoring.pk).update(slug="academic-support")
    mental = ServiceCategory.objects.create(
        slug="mental-health", name="Mental health", name_es="Salud mental"
    )
    make_partner(
        "Eastside Wellness Center",
        published=True,
        description="Counseling for teens and parents.",
        description_es="Consejería para adolescentes y padres.",
        service_categories=[mental],
    )
    return public_world


@pytest.mark.parametrize(
    ("url", "expected", "reason"),
    [
        (
            "/es/partners/?q=comida",
            FOOD,
            "servicio: Seguridad alimentaria",
        ),
        ("/partners/?q=food", FOOD, "service: Food security"),
        ("/es/partners/?q=salud+mental", {"Eastside Wellness Center"}, "servicio: Salud mental"),
        ("/partners/?q=tutoring", {"Boys & Girls Club of the Harbor"}, "service: Tutoring"),
        ("/es/partners/?q=tutoria", {"Boys & Girls Club of the Harbor"}, "servicio: Tutoría"),
        ("/partners/?q=tutorng", {"Boys & Girls Club of the Harbor"}, "service: Tutoring"),
        ("/partners/?q=groceries", FOOD, "service: Food security"),
        ("/partners/?q=foster+youth", {"Boys & Girls Club of the Harbor"}, "focus group"),
        ("/es/partners/?q=consejeria", {"Eastside Wellness Center"}, "descripción"),
    ],
)
def test_search_by_need_says_why(client, need_world, url, expected, reason):
    found = results(client, url)
    html_names = {name.replace("&amp;", "&") for name, _ in found}
    assert expected <= html_names, found
    assert all(reason in why for name, why in found if name.replace("&amp;", "&") in expected)


def test_name_matches_rank_first_and_unpublished_never_show(client, need_world):
    found = results(client, "/partners/?q=harbor+food")
    assert found[0][0] == "Harbor Food Pantry" and "name" in found[0][1]
    assert results(client, "/partners/?q=quiet+prospect") == []


def test_more_matching_words_rank_higher(client, need_world):
    found = [name for name, _ in results(client, "/es/partners/?q=salud+mental+consejeria")]
    assert found[0] == "Eastside Wellness Center"


def test_folding_removes_accents_and_case():
    assert fold("Tutoría  ÁRBOL-niño") == "tutoria arbol nino"
