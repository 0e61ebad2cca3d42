"""The community-schools screens in Debian Chromium on a phone (390 px) and a laptop (1366 px):
progress packs, agreements, a referral's partner link, a service category's pillars and the
referral form's suggested partners. Nothing may be wider than the screen; each screen is saved
to /tmp/ccapi-shots/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from crm.services.partner_links import referral_link_create
from crm.services.partners import partner_update
from tests.factories import make_agreement
from tests.site.test_site_browser import AXE, browser  # noqa: F401 - fixture

pytestmark = [
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]
SHOTS = Path("/tmp/ccapi-shots")
SIZES = {390: 844, 1366: 900}


def _open(browser, live_server, user, width, path):  # noqa: F811 - the fixture's value
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": SIZES[width]})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, (path, response.status)
    return context, page


def _check(page, name: str, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"


@pytest.fixture
def screens(ccspp):
    w = ccspp.world
    agreement = make_agreement(
        ccspp.partnership, signed_on=dt.date(2024, 7, 1), expires_on=dt.date(2031, 6, 30)
    )
    referral = ccspp.pantry.referrals.filter(school=w.roosevelt).first()
    referral_link_create(referral=referral, actor=None, source="command")
    partner_update(
        partner=ccspp.pantry,
        data={"accepting_referrals": "accepting", "languages": ["es", "ko"], "cost": "free"},
        actor=None,
        source="command",
    )
    return {
        "pack-school": (w.cora, f"/admin/ccspp/packs/?school={w.roosevelt.pk}&fy=2024-25"),
        "pack-district": (w.lee, f"/admin/ccspp/packs/?district={w.east.pk}&fy=2024-25"),
        "agreements": (w.pat, "/admin/crm/agreements/"),
        "agreement": (w.pat, f"/admin/crm/agreements/inspect/{agreement.pk}/"),
        "partner-link": (w.cora, f"/admin/referral-links/{referral.pk}/"),
        "category-pillars": (w.ana, reverse("crm_servicecategory:edit", args=[ccspp.mental.pk])),
    }


@pytest.mark.parametrize("width", sorted(SIZES))
@pytest.mark.parametrize(
    "name",
    ["pack-school", "pack-district", "agreements", "agreement", "partner-link", "category-pillars"],
)
def test_screen_fits(browser, live_server, screens, name, width):  # noqa: F811
    user, path = screens[name]
    context, page = _open(browser, live_server, user, width, path)
    try:
        _check(page, name, width)
    finally:
        context.close()


@pytest.mark.parametrize("width", sorted(SIZES))
def test_referral_form_suggests_partners_and_chooses_one(
    browser,  # noqa: F811 - the fixture's value
    live_server,
    screens,
    ccspp,
    width,
):
    w = ccspp.world
    context, page = _open(browser, live_server, w.cora, width, reverse("referral:add"))
    try:
        page.select_option("#id_school", str(w.roosevelt.pk))
        page.select_option("#id_need_category", "food")
        page.select_option("#id_family_language", "ko")
        first = page.locator(".pb-suggested__item").first
        # Each choice refreshes the panel; wait for the answer to the last one.
        expect(first).to_contain_text("speaks Korean")
        expect(first).to_contain_text("Eastside Pantry")
        _check(page, "referral-suggestions", width)
        first.locator("[data-choose-partner]").click()
        chosen = page.locator(".pb-chips input[type=hidden][name=partner]")
        assert chosen.input_value() == str(ccspp.pantry.pk)
        assert "Eastside Pantry" in page.locator(".pb-chips .pb-chip").inner_text()
    finally:
        context.close()
