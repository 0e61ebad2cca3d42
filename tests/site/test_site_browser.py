"""Browser tests: Playwright drives the Debian Chromium against a live server. Search, filter,
open a profile, switch language, use the site by keyboard only, and check every page type with
axe-core for WCAG 2.1 A/AA violations."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Python package playwright is not installed (pip install playwright)",
)
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Chromium missing at /usr/bin/chromium: apt-get install -y chromium",
    ),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def browser():
    # Playwright runs an event loop in this thread; Django's ORM refuses that unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


def _is_csp_violation(message) -> bool:
    return "Content Security Policy" in message.text


@pytest.fixture
def page(browser):
    """A phone-sized tab; every test fails if the page hit the Content-Security-Policy."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    violations = []
    tab.on("console", lambda m: violations.append(m.text) if _is_csp_violation(m) else None)
    yield tab
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def axe_violations(page) -> list[dict]:
    # Evaluated through DevTools, not injected as a <script>: the page's CSP forbids inline ones.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert len(result["passes"]) > 10, "axe-core did not run its checks"
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_search_filter_open_profile_and_switch_language(page, live_server, public_world):
    page.goto(f"{live_server.url}/partners/")
    page.fill("#f-q", "boys and girls")
    page.press("#f-q", "Enter")
    page.wait_for_url(re.compile(r"q=boys\+and\+girls"))
    results = page.locator(".partner-card h3 a")
    assert results.first.inner_text() == "Boys & Girls Club of the Harbor"

    page.fill("#f-q", "")
    page.select_option("#f-category", "food")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"category=food"))
    assert sorted(results.all_inner_texts()) == ["Acme Savings Bank", "Harbor Food Pantry"]

    page.click("text=Harbor Food Pantry")
    page.wait_for_url(re.compile(rf"/partners/{public_world.pantry.slug}/$"))
    assert page.locator("h1").inner_text() == "Harbor Food Pantry"

    page.click("nav.language >> text=Español")
    page.wait_for_url(re.compile(rf"/es/partners/{public_world.pantry.slug}/$"))
    assert page.get_attribute("html", "lang") == "es"
    assert page.locator("h1").inner_text() == "Harbor Food Pantry"
    assert "Alimentos" in page.locator(".tags").first.inner_text()


def test_keyboard_only_navigation(page, live_server, public_world):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "home-q":
            break
    else:
        pytest.fail("The home search box cannot be reached with Tab")
    page.keyboard.type("harbor food")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/partners/\?q=harbor"))

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Harbor Food Pantry":
            break
    else:
        pytest.fail("No result link can be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/partners/{public_world.pantry.slug}/$"))
    outline = page.evaluate(
        "() => { const a = document.querySelector('nav.language a');"
        " a.focus(); return getComputedStyle(a).outlineStyle; }"
    )
    assert outline != "none"


@pytest.mark.parametrize("language", ["", "/es"])
def test_every_page_type_has_no_wcag_violations(page, live_server, public_world, language):
    from tests.factories import make_event

    for _ in range(12):
        make_event(public_world.roosevelt, participants=20)
    urls = {
        "home": "/",
        "directory": "/partners/",
        "directory search": "/partners/?q=harbor&category=food",
        "profile": f"/partners/{public_world.club.slug}/",
        "school directory": "/community-schools/",
        "school": f"/community-schools/{public_world.roosevelt.slug}/",
        "editorial": "/about/",
        "not found": "/no-such-page/",
    }
    found = {}
    for name, url in urls.items():
        response = page.goto(f"{live_server.url}{language}{url}")
        assert response.status == (404 if name == "not found" else 200), name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert found == {}


def test_the_admin_works_under_the_csp(page, live_server, public_world):
    """Log in through the form, then the screens with Wagtail's widgets and our inline script."""
    from tests.factories import make_event

    event = make_event(public_world.roosevelt, participants=20)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "cora")
    page.fill("#id_password", "pw-cora")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    for url in (
        "/admin/my-schools/",
        "/admin/event/",
        "/admin/event/new/",
        f"/admin/event/edit/{event.pk}/",
        "/admin/referral/new/",
        "/admin/crm/partners/",
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    # Wagtail's own scripts ran: the sidebar is drawn by JavaScript.
    assert page.locator("[data-wagtail-sidebar], #wagtail-sidebar").count() >= 1


LONG_EMAIL = (
    "community.partnerships.and.family.engagement.office"
    "@losangelesunifiedschooldistrict-example.org"
)
LONG_NAME = (
    "Southeast Los Angeles County Intergenerational Family Wellness and Educational "
    "Empowerment Collaborative"
)


@pytest.fixture
def long_values(public_world):
    """A partner with the long real-world values that used to widen pages on a phone."""
    from tests.factories import make_contact, make_partner

    partner = make_partner(
        LONG_NAME,
        published=True,
        kind="nonprofit",
        city="Rancho Palos Verdes",
        website="https://www.southeast-la-county-intergenerational-family-wellness.example.org"
        "/programs/after-school",
        description="Supercalifragilisticexpialidocious-programming " * 8,
        description_es="Programas de bienestar familiar intergeneracional " * 8,
        public_email=LONG_EMAIL,
        public_phone="+1 (562) 555-0100 ext. 12345",
        service_categories=[public_world.food, public_world.tutoring],
        equity_focus_groups=[public_world.foster],
        schools_served=[public_world.roosevelt],
    )
    make_contact(partner, name=LONG_NAME[:60], email=LONG_EMAIL, is_public=True)
    return partner


def test_no_page_is_wider_than_the_screen(page, live_server, long_values, public_world):
    paths = [
        "/",
        "/partners/",
        "/partners/?q=family",
        f"/partners/{long_values.slug}/",
        "/community-schools/",
        f"/community-schools/{public_world.roosevelt.slug}/",
        "/about/",
        "/no-such-page/",
    ]
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    wide = []
    for width in (320, 390, 768):
        page.set_viewport_size({"width": width, "height": 800})
        for language in ("", "/es"):
            for path in paths:
                page.goto(f"{live_server.url}{language}{path}")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    wide.append(f"{language}{path} at {width}px: {scroll}px")
    assert wide == []


def test_the_map_works_without_tiles_and_the_list_stays(page, live_server, public_world):
    requested = []

    def refuse(route):
        requested.append(route.request.url)
        route.abort()

    # Tests run offline: every request off the test server (the tile server) fails.
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), refuse)
    page.goto(f"{live_server.url}/community-schools/{public_world.roosevelt.slug}/")
    page.wait_for_selector(".map-canvas.leaflet-container")
    # Roosevelt is its district's only community school in this world.
    assert page.locator(".map-canvas path.leaflet-interactive").count() == 1
    page.wait_for_selector(".map-notice:not([hidden])")
    assert any("tile.openstreetmap.org" in url for url in requested)
    assert public_world.roosevelt.name in page.locator(".leaflet-tooltip").first.inner_text()
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.locator("a", has_text="Directions to this school").count() == 1

    page.goto(f"{live_server.url}/es/community-schools/")
    page.wait_for_selector(".map-canvas.leaflet-container")
    assert page.locator(".map-canvas path.leaflet-interactive").count() == 2
    assert page.locator(".school-list li").count() == 2
