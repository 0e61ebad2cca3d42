"""Every public page type renders in both languages, with the right content and structure."""

from __future__ import annotations

import json
import re

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    HomePage,
    PartnerDirectoryPage,
    SchoolDirectoryPage,
    SiteChrome,
    StandardPage,
)
from cms.setup import setup_site
from tests.factories import make_event


class TestPageRules(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(PartnerDirectoryPage, {})
        self.assertAllowedSubpageTypes(SchoolDirectoryPage, {})
        self.assertCanCreateAt(HomePage, StandardPage)

    def test_every_page_of_the_tree_is_renderable(self):
        setup_site()
        for page in Page.objects.filter(depth__gt=1).specific():
            self.assertPageIsRenderable(page)


def test_setup_site_is_idempotent_and_replaces_the_welcome_page(db):
    first = setup_site()
    assert "Partners" in first and "(removed the welcome page)" in first
    assert setup_site() == []
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    slugs = set(site.root_page.get_children().values_list("slug", flat=True))
    assert slugs == {"partners", "community-schools", "about"}
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()


@pytest.mark.parametrize(
    "url",
    ["/", "/partners/", "/community-schools/", "/about/", "/es/", "/es/partners/", "/es/about/"],
)
def test_tree_pages_render(client, public_world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b'<main id="main"' in response.content


def test_home_shows_live_figures_with_small_counts_suppressed(client, public_world):
    for _ in range(12):
        make_event(public_world.roosevelt, participants=30, items_distributed=0)
    body = client.get("/").content.decode()
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", body))
    assert figures["Events and workshops"] == "12"
    assert figures["Participants"] == "360"
    assert figures["Community schools"] == "fewer than 11"
    assert figures["Items distributed"] == "0"
    assert figures["Service referrals made"] == "0"
    es = client.get("/es/").content.decode()
    assert "menos de 11" in es


def test_home_figures_follow_crm_writes(client, public_world):
    make_event(public_world.roosevelt, participants=5)
    assert "fewer than 11" in client.get("/").content.decode()
    make_event(public_world.roosevelt, participants=500)
    body = client.get("/").content.decode()
    assert "<dd>505</dd>" in body


def test_language_switch_keeps_the_page_and_filters(client, public_world):
    body = client.get("/partners/?category=food").content.decode()
    assert 'href="/es/partners/?category=food" hreflang="es"' in body
    es = client.get("/es/partners/?category=food").content.decode()
    assert '<html lang="es">' in es
    assert 'href="/partners/?category=food" hreflang="en"' in es
    assert "Alimentos" in es


def test_profile_has_public_facts_og_and_jsonld(client, public_world):
    response = client.get(f"/partners/{public_world.club.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "After-school clubs for every child." in body
    assert 'property="og:title" content="Boys &amp; Girls Club of the Harbor"' in body
    assert "hello@bgch.example.org" in body and "Dana Public" in body
    assert "https://bgch.example.org" in body
    assert public_world.garfield.name in body and "Tutoring" in body
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Organization"
    assert data["name"] == "Boys & Girls Club of the Harbor"
    assert data["email"] == "hello@bgch.example.org"
    assert data["areaServed"] == [public_world.west.name]


def test_profile_in_spanish_uses_the_spanish_description(client, public_world):
    body = client.get(f"/es/partners/{public_world.club.slug}/").content.decode()
    assert "Clubes después de la escuela para cada niño." in body
    assert "After-school clubs" not in body
    # Without a Spanish version, the English one is shown rather than nothing.
    pantry = client.get(f"/es/partners/{public_world.pantry.slug}/").content.decode()
    assert "Weekly groceries for families." in pantry


def test_school_directory_lists_community_schools_with_a_map(client, public_world):
    body = client.get("/community-schools/").content.decode()
    assert public_world.roosevelt.name in body and public_world.garfield.name in body
    data = json.loads(re.search(r'id="map-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert len(data["markers"]) == 2
    assert 'class="map-canvas" role="region"' in body


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("grant_type=planning", "garfield", "roosevelt"),
        ("cohort=1", "roosevelt", "garfield"),
        ("district={east}", "roosevelt", "garfield"),
    ],
)
def test_school_directory_filters(client, public_world, query, shown, hidden):
    query = query.format(east=public_world.east.pk)
    body = client.get(f"/community-schools/?{query}").content.decode()
    assert getattr(public_world, shown).name in body
    assert f"/community-schools/{getattr(public_world, hidden).slug}/" not in body


def test_school_page_shows_status_partners_and_suppressed_counts(client, public_world):
    for _ in range(3):
        make_event(public_world.roosevelt, participants=40)
    body = client.get(f"/community-schools/{public_world.roosevelt.slug}/").content.decode()
    assert "456 Oak Avenue" in body and public_world.east.name in body
    assert "CCSPP-funded community school this school year" in body
    assert "Harbor Food Pantry" in body and "Boys &amp; Girls" not in body
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", body))
    assert figures["Events and workshops"] == "fewer than 11"
    assert figures["Participants"] == "120"
    assert '"current": true' in body and "Directions to this school" in body


def test_unknown_school_is_404(client, public_world):
    assert client.get("/community-schools/no-such-school/").status_code == 404


def test_standard_page_streamfield_renders_and_falls_back_to_english(client, public_world):
    about = StandardPage.objects.get(slug="about")
    about.body = [("heading", "Our story"), ("paragraph", "<p>We started in 2022.</p>")]
    about.save_revision().publish()
    assert "We started in 2022." in client.get("/about/").content.decode()
    es = client.get("/es/about/").content.decode()
    assert "Acerca de" in es and "We started in 2022." in es


def test_navigation_and_footer_come_from_the_admin_setting(client, public_world):
    site = Site.objects.get(is_default_site=True)
    chrome = SiteChrome.for_site(site)
    about = StandardPage.objects.get(slug="about")
    chrome.nav_links = [
        ("link", {"label": "Who we are", "label_es": "Quiénes somos", "page": about})
    ]
    chrome.footer_text = "County Office of Education"
    chrome.footer_links = [("link", {"label": "Privacy", "url": "https://example.org/privacy"})]
    chrome.save()
    body = client.get("/partners/").content.decode()
    assert '<a href="/about/">Who we are</a>' in body
    assert "County Office of Education" in body and "https://example.org/privacy" in body
    assert ">Community schools</a>" not in body
    assert '<a href="/es/about/">Quiénes somos</a>' in client.get("/es/").content.decode()


def test_sitemap_and_robots_list_public_urls_only(client, public_world):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/partners/{public_world.club.slug}/" in sitemap
    assert f"/community-schools/{public_world.roosevelt.slug}/" in sitemap
    assert public_world.hidden.slug not in sitemap
    assert "/admin/" not in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_404_page_uses_the_site_layout(client, public_world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Página no encontrada" in client.get("/es/no-such-page/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/partners/",
        "/partners/{club}/",
        "/community-schools/",
        "/about/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_public_urls_refuse_posts(client, public_world, url):
    url = url.format(club=public_world.club.slug)
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200
