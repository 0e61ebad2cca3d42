"""The public profile with service details in Debian Chromium, English and Spanish, on a phone
and a laptop: nothing wider than the screen, no axe-core violation, no CSP violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.test_site_browser import AXE, CHROMIUM, axe_violations, browser  # noqa: F401
from tests.site.test_site_partner_details import _detail

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing at /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]
SHOTS = Path("/tmp/ccapi-shots")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
@pytest.mark.parametrize("prefix", ["", "/es"])
def test_profile_with_details_fits_and_passes_axe(
    browser,  # noqa: F811 - the fixture's value
    live_server,
    public_world,
    prefix,
    width,
    height,
):
    _detail(public_world.club, eligibility_notes="Students of " + "partner schools " * 12)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    csp = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
    try:
        page.goto(f"{live_server.url}{prefix}/partners/{public_world.club.slug}/")
        assert page.locator(".service-details dl.facts dt").count() == 5
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        SHOTS.mkdir(exist_ok=True)
        name = f"profile{prefix.replace('/', '-')}-{width}.png"
        page.screenshot(path=str(SHOTS / name), full_page=True)
        assert overflow <= 0, f"the page is {overflow}px wider than the screen"
        assert axe_violations(page) == []
    finally:
        context.close()
    assert csp == []
