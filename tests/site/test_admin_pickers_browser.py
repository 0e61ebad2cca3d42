"""In Chromium, at 390 and 1366 px: the staff search box finds a partner with a typo, and the
autocomplete pickers are typed into, picked from and submitted (schools and districts served,
a touchpoint's partner and its contact); each page fits the window and passes axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.site.test_admin_browser import (
    DESK,
    PHONE,
    axe_violations,
    browser,  # noqa: F401 (a fixture)
    logged_in,
    overflow,
    playwright_api,  # noqa: F401 (skips the module without Playwright)
    pytestmark,  # noqa: F401 (Chromium, axe-core, transactional database)
    shoot,
)

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])


@pytest.fixture
def partners(world):
    from tests.factories import make_contact, make_partner

    club = make_partner("Boys & Girls Club of Watts", city="Watts")
    pantry = make_partner("Bell Gardens Community Food Bank", city="Bell Gardens")
    make_contact(club, name="Dana Quimby")
    make_contact(pantry, name="Dana Reyes")
    return club, pantry


def pick(page, field: str, typed: str, choice: str) -> None:
    box = page.locator(f"#id_{field}")
    box.press_sequentially(typed, delay=20)
    page.locator(f"#id_{field}-suggestions [role=option]", has_text=choice).first.click()
    chips = page.locator(f'.pb-chips[data-picker-for="id_{field}"] .pb-chip')
    assert choice in chips.all_inner_texts()[-1]


@VIEWPORTS
def test_one_box_finds_a_partner_with_a_typo(browser, live_server, world, partners, viewport):  # noqa: F811
    context, page = logged_in(browser, live_server, world.pat, viewport)
    page.goto(live_server.url + reverse("wagtailadmin_home"))
    page.fill("#pb-staff-search", "bell gardns food bank")
    page.press("#pb-staff-search", "Enter")
    page.wait_for_selector("#pb-found-partners")
    first = page.locator(".pb-found a").first
    assert first.inner_text() == "Bell Gardens Community Food Bank"
    shoot(page, "staff-search", viewport)
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    first.click()
    page.wait_for_url(f"**{reverse('crm_partner:inspect', args=[partners[1].pk])}")
    context.close()


@VIEWPORTS
def test_schools_and_districts_served_are_picked(browser, live_server, world, partners, viewport):  # noqa: F811
    club = partners[0]
    context, page = logged_in(browser, live_server, world.pat, viewport)
    page.goto(live_server.url + reverse("crm_partner:edit", args=[club.pk]))
    pick(page, "schools_served", "garf", "Garfield Elementary (West Harbor Unified)")
    pick(page, "schools_served", "roosev", "Roosevelt High (East Valley Unified)")
    pick(page, "districts_served", "harbor", "West Harbor Unified")
    # A chip's × takes a choice back.
    page.locator('.pb-chips[data-picker-for="id_schools_served"] .pb-chip button').first.click()
    shoot(page, "partner-pickers", viewport)
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    page.locator("form button[type=submit]", has_text="Save").first.click()
    page.wait_for_load_state()
    context.close()
    club.refresh_from_db()
    assert list(club.schools_served.all()) == [world.roosevelt]
    assert list(club.districts_served.all()) == [world.west]


@VIEWPORTS
def test_a_touchpoint_partner_is_picked(browser, live_server, world, partners, viewport):  # noqa: F811
    from crm.models import Touchpoint

    context, page = logged_in(browser, live_server, world.pat, viewport)
    page.goto(live_server.url + reverse("crm_touchpoint:add"))
    pick(page, "partner", "boys and girls wats", "Boys & Girls Club of Watts")
    # One partner only: picking another replaces the first.
    pick(page, "partner", "bell gardens", "Bell Gardens Community Food Bank")
    assert page.locator('.pb-chips[data-picker-for="id_partner"] .pb-chip').count() == 1
    # The contact picker offers only the chosen partner's contacts.
    page.locator("#id_contact").press_sequentially("dana", delay=20)
    offered = page.locator("#id_contact-suggestions [role=option]")
    offered.first.wait_for()
    assert offered.all_inner_texts() == ["Dana Reyes (Bell Gardens Community Food Bank)"]
    offered.first.click()
    page.fill("#id_occurred_on", "2026-01-05")
    page.keyboard.press("Escape")
    page.select_option("#id_channel", "call")
    page.fill("#id_summary", "Planned the spring food drive.")
    shoot(page, "touchpoint-picker", viewport)
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    page.locator("form button[type=submit]", has_text="Create").first.click()
    page.wait_for_url(f"**{reverse('crm_touchpoint:index')}")
    context.close()
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.partner == partners[1]
    assert touchpoint.contact.name == "Dana Reyes"


@VIEWPORTS
def test_a_coordinator_searches_her_referrals_only(browser, live_server, world, partners, viewport):  # noqa: F811
    from tests.factories import make_referral

    mine = make_referral(world.roosevelt, partners[1], student_ref="ROOS-4411")
    theirs = make_referral(world.garfield, partners[1], student_ref="ROOS-9000")
    context, page = logged_in(browser, live_server, world.cora, viewport)
    page.goto(live_server.url + reverse("crm_search") + "?q=ROOS")
    found = page.locator("#pb-found-referrals + .pb-found a")
    assert found.all_inner_texts() == [str(mine)]
    assert theirs.student_ref not in page.locator(".pb-results").inner_text()
    shoot(page, "staff-search-coordinator", viewport)
    assert overflow(page) <= 0
    assert axe_violations(page) == []
    context.close()
