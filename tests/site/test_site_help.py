"""Help near my school: partners grouped by service on the school page, a one-page printable
resource sheet in English and Spanish, and Spanish text that says when it is missing."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_partner


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_school_page_groups_partners_by_service(client, public_world):
    body = client.get(f"/community-schools/{public_world.roosevelt.slug}/").content.decode()
    assert re.search(r'<h3 class="service-name">Food</h3>\s*<ul[^>]*>\s*<li><a[^>]*>Harbor', body)
    es = client.get(f"/es/community-schools/{public_world.roosevelt.slug}/").content.decode()
    assert '<h3 class="service-name">Alimentos</h3>' in es
    assert f"/es/community-schools/{public_world.roosevelt.slug}/resource-sheet/" in es


@pytest.mark.parametrize(("prefix", "heading"), [("", b"Help near"), ("/es", b"Ayuda cerca de")])
def test_resource_sheet_is_one_printable_page_per_language(client, public_world, prefix, heading):
    for n in range(40):
        make_partner(
            f"Neighborhood <b>Helper</b> & Co {n}",
            published=True,
            public_phone="(323) 555-0100",
            website="https://helper.example.org/a/very/long/path/for/families",
            service_categories=[public_world.food, public_world.tutoring],
            schools_served=[public_world.roosevelt],
        )
    url = f"{prefix}/community-schools/{public_world.roosevelt.slug}/resource-sheet/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and pages(pdf) == 1
    assert heading in pdf
    # Markup in a stored name is printed as text, never parsed as PDF paragraph markup.
    assert b"Neighborhood <b>Helper</b> & Co 1" in re.sub(rb"\) Tj \(", b"", pdf)
    assert client.get("/community-schools/no-such-school/resource-sheet/").status_code == 404


def test_spanish_pages_say_when_a_description_is_only_in_english(client, public_world):
    profile = client.get(f"/es/partners/{public_world.pantry.slug}/").content.decode()
    assert "Descripción disponible solo en inglés" in profile
    assert '<div lang="en"><p>Weekly groceries for families.</p></div>' in profile
    directory = client.get("/es/partners/?category=food").content.decode()
    assert "Descripción disponible solo en inglés" in directory
    translated = client.get(f"/es/partners/{public_world.club.slug}/").content.decode()
    assert "solo en inglés" not in translated
    english = client.get(f"/partners/{public_world.pantry.slug}/").content.decode()
    assert "English only" not in english


def test_staff_list_published_partners_missing_spanish(client, public_world):
    client.force_login(public_world.pat)
    body = client.get("/admin/crm/partners/?missing_spanish=true").content.decode()
    assert "Harbor Food Pantry" in body
    assert "Boys &amp; Girls Club" not in body and "Quiet Prospect" not in body
