"""A partner's service details on the public profile (English and Spanish, escaped) and in the
HSDS feed (valid against the HSDS service schema)."""

from __future__ import annotations

import pytest

from crm.services.partners import partner_update
from tests.factories import SERVICE_DETAILS
from tests.hostile import NAMES, assert_html_safe
from tests.site.test_site_hsds import valid

pytestmark = pytest.mark.django_db

DETAILS = SERVICE_DETAILS


def _detail(partner, **data):
    return partner_update(partner=partner, data={**DETAILS, **data}, actor=None, source="system")


ENGLISH = (
    "Getting services",
    "Waitlist (about 12 a month)",
    "English, Spanish, Korean",
    "Kindergarten to Grade 5",
    "Mon-Fri 3-6 pm",
    "Sliding scale",
    "Open regardless of immigration status",
    "No insurance needed",
    "Families of enrolled students.",
)
SPANISH = (
    "Cómo recibir servicios",
    "Lista de espera (unas 12 al mes)",
    "Inglés, Español, Coreano",
    "De Kínder a 5.º grado",
    "Lunes a viernes, 3 a 6 pm",
    "Tarifa según ingresos",
    "Sin importar el estatus migratorio",
    # No Spanish notes were written: the English ones are shown, marked as English.
    '<div lang="en"><p>Families of enrolled students.</p></div>',
)


@pytest.mark.parametrize(("prefix", "texts"), [("", ENGLISH), ("/es", SPANISH)])
def test_profile_shows_service_details_in_both_languages(client, public_world, prefix, texts):
    _detail(public_world.club)
    body = client.get(f"{prefix}/partners/{public_world.club.slug}/").content.decode()
    assert [t for t in texts if t not in body] == []


def test_profile_without_details_has_no_empty_card(client, public_world):
    body = client.get(f"/partners/{public_world.pantry.slug}/").content.decode()
    assert "Getting services" not in body


@pytest.mark.parametrize("text", NAMES)
def test_hostile_hours_and_notes_are_escaped(client, public_world, text):
    _detail(public_world.club, hours=text[:255], eligibility_notes=text, eligibility_notes_es=text)
    for url in (f"/partners/{public_world.club.slug}/", f"/es/partners/{public_world.club.slug}/"):
        assert_html_safe(client.get(url).content.decode(), url)


def test_hsds_service_carries_the_details_and_stays_valid(client, public_world):
    _detail(public_world.club)
    services = client.get("/api/hsds/services").json()["contents"]
    club = next(s for s in services if s["name"].endswith(public_world.club.name))
    valid("service", club)
    assert [(lang["code"], lang["name"]) for lang in club["languages"]] == [
        ("en", "English"),
        ("es", "Spanish"),
        ("ko", "Korean"),
    ]
    assert club["schedules"][0]["description"] == "Mon-Fri 3-6 pm"
    assert club["fees_description"] == "Sliding scale"
    assert club["eligibility_description"] == (
        "Grades served: Kindergarten to Grade 5. Open regardless of immigration status; "
        "No insurance needed. Families of enrolled students."
    )
    assert club["alert"] == "Waitlist (about 12 a month)"
    # Stable ids: the same feed read twice names its nested records the same.
    again = client.get(f"/api/hsds/services/{club['id']}").json()
    assert again["languages"] == club["languages"]
    pantry = next(s for s in services if s["name"].endswith(public_world.pantry.name))
    assert not {"languages", "schedules", "fees_description", "alert"} & set(pantry)
