"""Quick add in Chromium at 390 px and 1366 px: no sideways scrolling, no axe-core WCAG 2.1 A/AA
violation, the menu button covers nothing, and a near-miss name goes through "Did you mean…?"
to the partner page. Set ADMIN_SCREENSHOTS=dir to keep a screenshot of each state."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests.site.test_admin_browser import (  # noqa: F401 - browser is a fixture
    DESK,
    PHONE,
    browser,
    covered_by_menu_button,
    logged_in,
    overflow,
    shoot,
)
from tests.site.test_site_browser import AXE, CHROMIUM, axe_violations

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing at /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]


def check_page(page, name: str, viewport: dict, *, scrolled: bool = False) -> dict:
    """What is wrong with the page as shown; scrolled, what passes under the sticky header
    (with the menu button on it) is not counted as covered."""
    shoot(page, f"quick-add-{name}", viewport)
    return {
        "overflow": overflow(page),
        "covered": [] if scrolled else covered_by_menu_button(page),
        "axe": axe_violations(page),
    }


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_quick_add_near_miss_then_use_existing(browser, live_server, world, viewport):  # noqa: F811
    from crm.models import Partnership, Touchpoint
    from tests.factories import make_partner

    harbor = make_partner("Harbor Community Food Bank", website="https://harborfood.org")
    context, page = logged_in(browser, live_server, world.pat, viewport)
    started = time.perf_counter()
    page.goto(live_server.url + reverse("crm_quick_add"))
    clean = {"overflow": 0, "covered": [], "axe": []}
    assert check_page(page, "form", viewport) == clean
    page.fill("#id_name", "Harbor Community Foodbank")
    page.fill("#id_contact_name", "Maria Lopez")
    page.fill("#id_contact_email", "maria@harborfood.org")
    page.check("#id_strategic")
    page.select_option("#id_agreement_type", "mou")
    page.fill("#id_notes", "Met at the spring resource fair.")
    page.locator("#pb-quick-add button", has_text="Save").scroll_into_view_if_needed()
    assert check_page(page, "filled", viewport, scrolled=True) == clean
    page.locator("#pb-quick-add button", has_text="Save").click()
    page.wait_for_selector("text=Did you mean an existing partner?")
    assert check_page(page, "prompt", viewport) == clean
    page.locator(f"button[name=use_partner][value='{harbor.pk}']").click()
    page.wait_for_selector("text=Used existing partner")
    elapsed = time.perf_counter() - started
    assert page.url.endswith(reverse("crm_partner:inspect", args=[harbor.pk]))
    assert overflow(page) <= 0
    context.close()
    partnership = Partnership.objects.get()
    assert partnership.partner == harbor and partnership.strategic
    assert Touchpoint.objects.get().summary == "Met at the spring resource fair."
    print(f"quick add with a near-miss name at {viewport['width']} px: {elapsed:.1f} s")
