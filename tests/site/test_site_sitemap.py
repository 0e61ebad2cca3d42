"""Sitemap, canonical links and structured data name the real site address and both languages;
every page links its icons."""

from __future__ import annotations

import json
import re


def test_sitemap_lists_both_languages_with_hreflang_at_the_site_address(
    client, public_world, settings
):
    settings.PUBLIC_SITE_URL = "https://partners.example.org/"
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    club = f"/partners/{public_world.club.slug}/"
    assert f"https://partners.example.org{club}" in locations
    assert f"https://partners.example.org/es{club}" in locations
    assert "https://partners.example.org/es/" in locations
    assert not any("localhost" in loc or "testserver" in loc for loc in locations)
    assert (
        f'hreflang="es" href="https://partners.example.org/es/community-schools/'
        f'{public_world.roosevelt.slug}/"'
    ) in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://partners.example.org/sitemap.xml" in robots


def test_structured_data_and_alternates_use_the_site_address(client, public_world, settings):
    settings.PUBLIC_SITE_URL = "https://partners.example.org"
    body = client.get(f"/es/partners/{public_world.club.slug}/").content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert (
        data["mainEntityOfPage"]
        == f"https://partners.example.org/es/partners/{public_world.club.slug}/"
    )
    assert (
        f'hreflang="en" href="https://partners.example.org/partners/{public_world.club.slug}/"'
        in body
    )
    assert 'hreflang="x-default"' in body
    assert 'rel="apple-touch-icon"' in body and "favicon.svg" in body
