"""Browser tests of the admin as its people use it: a site coordinator on a phone (390x844) and
at a desk (1366x900) records an event with the partner typeahead and closes a referral from its
card, timed; every page a coordinator uses is checked for horizontal overflow and with axe-core
for WCAG 2.1 A/AA violations. Set ADMIN_SCREENSHOTS=dir to keep a screenshot of each page."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.site.test_site_browser import AXE, CHROMIUM, axe_violations

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Python package playwright is not installed (pip install playwright)",
)
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing at /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
SHOTS = os.environ.get("ADMIN_SCREENSHOTS", "")
# The figures the issue asks for: seconds from opening My schools to the saved result.
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def coordination(world):
    from tests.factories import make_event, make_partner, make_referral

    watts = make_partner("Boys & Girls Club of Watts")
    pantry = make_partner("Bell Gardens Food Bank")
    today = timezone.localdate()
    return SimpleNamespace(
        world=world,
        watts=watts,
        pantry=pantry,
        event=make_event(world.roosevelt, title="Family Resource Night", date=today),
        referral=make_referral(world.roosevelt, pantry, student_ref="ROOS-4411", referred_on=today),
        other=make_referral(world.garfield, watts, student_ref="GARF-9000"),
    )


def logged_in(browser, live_server, user, viewport):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def covered_by_menu_button(page) -> list[str]:
    """Labels and headings that Wagtail's menu button sits on top of."""
    return page.evaluate(
        """() => {
            const button = document.querySelector('.sidebar-nav-toggle--mobile');
            if (!button || !button.offsetParent) { return []; }
            const b = button.getBoundingClientRect();
            return [...document.querySelectorAll('main label, main legend, main h1, main h2')]
                .filter(el => {
                    const r = el.getBoundingClientRect();
                    if (el.closest('header') || r.width <= 1 || r.height <= 1) { return false; }
                    return r.left < b.right && r.right > b.left
                        && r.top < b.bottom && r.bottom > b.top;
                })
                .map(el => el.textContent.trim().slice(0, 40));
        }"""
    )


def shoot(page, name: str, viewport: dict) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{viewport['width']}.png", full_page=True)


def coordinator_pages(c) -> dict[str, str]:
    ref, event = c.referral.pk, c.event.pk
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "my schools": reverse("my_schools:index"),
        "events": reverse("event:index"),
        "record event (form)": reverse("event:add"),
        "event": reverse("event:inspect", args=[event]),
        "edit event": reverse("event:edit", args=[event]),
        "referrals": reverse("referral:index"),
        "new referral": reverse("referral:add"),
        "referral": reverse("referral:inspect", args=[ref]),
        "edit referral": reverse("referral:edit", args=[ref]),
        "change status": reverse("referral:status", args=[ref]),
        "referral figures": reverse("referral_figures:index"),
        "partners": reverse("crm_partner:index"),
        "partner": reverse("crm_partner:inspect", args=[c.watts.pk]),
        "log touchpoint": reverse("crm_touchpoint:add"),
        "schools": reverse("crm_school:index"),
    }


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_coordinator_pages_fit_and_pass_axe(browser, live_server, coordination, viewport):
    context, page = logged_in(browser, live_server, coordination.world.cora, viewport)
    too_wide, violations, covered = {}, {}, {}
    for name, url in coordinator_pages(coordination).items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, name
        shoot(page, re.sub(r"\W+", "-", name), viewport)
        if (extra := overflow(page)) > 0:
            too_wide[name] = extra
        if found := axe_violations(page):
            violations[name] = found
        if hidden := covered_by_menu_button(page):
            covered[name] = hidden
        page.evaluate("window.scrollTo(0, 300)")  # the button must not follow over the form
        if hidden := covered_by_menu_button(page):
            covered[f"{name} (scrolled)"] = hidden
    context.close()
    assert too_wide == {}
    assert covered == {}
    assert violations == {}


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_coordinator_records_an_event_with_the_typeahead(
    browser, live_server, coordination, viewport
):
    from crm.models import Event

    context, page = logged_in(browser, live_server, coordination.world.cora, viewport)
    started = time.perf_counter()
    page.goto(live_server.url + reverse("my_schools:index"))
    page.select_option("#id_kind", "distribution")
    page.fill("#id_participants", "48")
    page.fill("#id_items_distributed", "120")
    picker = page.locator("#id_partner_names")
    picker.press_sequentially("boys and girls watts", delay=20)
    option = page.locator("#id_partner_names-suggestions [role=option]").first
    option.wait_for()
    assert option.inner_text() == "Boys & Girls Club of Watts"
    assert picker.get_attribute("aria-expanded") == "true"
    picker.press("ArrowDown")
    assert picker.get_attribute("aria-activedescendant") == option.get_attribute("id")
    picker.press("Enter")  # keyboard pick; the form is not submitted by it
    assert page.locator(".pb-chip").inner_text().startswith("Boys & Girls Club of Watts")
    page.click("text=Record event")
    page.wait_for_selector("text=Recorded:")
    TIMINGS[f"record event at {viewport['width']} px"] = time.perf_counter() - started
    assert overflow(page) <= 0
    context.close()
    event = Event.objects.get(participants=48)
    assert list(event.partners.all()) == [coordination.watts]


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_coordinator_closes_a_referral_from_its_card(browser, live_server, coordination, viewport):
    from crm.models import Referral

    context, page = logged_in(browser, live_server, coordination.world.cora, viewport)
    started = time.perf_counter()
    page.goto(live_server.url + reverse("my_schools:index"))
    card = page.locator(f"[data-referral='{coordination.referral.pk}']")
    assert "new referral" in card.inner_text()
    assert page.locator(f"[data-referral='{coordination.other.pk}']").count() == 0
    card.locator("select").select_option("closed")
    card.locator("input[name=note]").fill("Family found a pantry nearer home")
    card.locator("button", has_text="Save status").click()
    page.wait_for_selector("text=is now Closed")
    TIMINGS[f"close referral at {viewport['width']} px"] = time.perf_counter() - started
    assert page.url.endswith(reverse("my_schools:index"))
    context.close()
    referral = Referral.objects.get(pk=coordination.referral.pk)
    assert referral.status == "closed" and referral.outcome == "Family found a pantry nearer home"


def test_a_mouse_click_picks_a_suggestion(browser, live_server, coordination):
    context, page = logged_in(browser, live_server, coordination.world.cora, PHONE)
    page.goto(live_server.url + reverse("my_schools:index"))
    page.locator("#id_partner_names").press_sequentially("bell gardens", delay=20)
    page.locator("[role=option]", has_text="Bell Gardens Food Bank").click()
    chip = page.locator(f".pb-chip[data-id='{coordination.pantry.pk}']")
    assert chip.count() == 1
    assert page.locator(f"input[type=hidden][name=partners][value='{coordination.pantry.pk}']")
    context.close()


def test_report_timings():
    """Prints the timed flows (run with -s); fails if a flow took a minute or more."""
    for flow, seconds in TIMINGS.items():
        print(f"{flow}: {seconds:.2f} s")
    assert all(seconds < 60 for seconds in TIMINGS.values())
