"""The needs gap view in Debian Chromium, as leadership and a coordinator open it on a phone and
on a laptop: the table is there, unmet needs first, nothing overflows, axe finds no violation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.site.test_site_browser import AXE, WCAG_TAGS, browser  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]


def _signed_in(browser, live_server, user, width):  # noqa: F811 - the fixture's value
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("width", [390, 1366])
def test_leadership_sees_the_county_gaps_on_any_screen(browser, live_server, ccspp, width):  # noqa: F811
    context, page = _signed_in(browser, live_server, ccspp.world.lee, width)
    try:
        page.goto(f"{live_server.url}/admin/ccspp/gaps/?fy=2025")
        rows = page.locator("table.gap-table tbody tr th")
        assert rows.first.inner_text() == "Lincoln Middle"  # two needs, one unmet
        assert page.locator("table.gap-table strong", has_text="Unmet").count() == 2
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the screen"
        page.screenshot(path=f"/tmp/ccspp-gaps-{width}.png", full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document.querySelector('main') || document,"
            " {runOnly: {type: 'tag', values: tags}})",
            WCAG_TAGS,
        )
        assert [v["id"] for v in result["violations"]] == []
        page.select_option("#id_district", str(ccspp.world.west.pk))
        page.click("form.gap-filters button[type=submit]")
        page.wait_for_url("**district=*")
        assert rows.all_inner_texts() == ["Garfield Elementary"]
    finally:
        context.close()
