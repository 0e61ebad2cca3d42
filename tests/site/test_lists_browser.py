"""Browser test of the lists people act on: partnership staff select partners and unpublish them
through the bulk action, then save the filtered list as a view and reopen it; at 390 px and
1366 px, with no horizontal overflow and axe-core clean on each page."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.site.test_admin_browser import DESK, PHONE, browser, logged_in, overflow  # noqa: F401
from tests.site.test_site_browser import AXE, CHROMIUM, axe_violations

pytest.importorskip("playwright.sync_api", reason="Python package playwright is not installed")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing at /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}"),
    pytest.mark.django_db(transaction=True),
]
SHOTS = os.environ.get("LIST_SCREENSHOTS", "")


def check(page, name: str, viewport: dict, problems: dict) -> None:
    # Wagtail slides and fades messages in; axe measures their contrast once they are shown.
    page.wait_for_function(
        "() => document.querySelector('.messages').getAnimations({subtree: true})"
        ".every(a => a.playState !== 'running')"
    )
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/lists-{name}-{viewport['width']}.png", full_page=True)
    if (extra := overflow(page)) > 0:
        problems[f"{name}: overflow"] = extra
    if found := axe_violations(page):
        problems[f"{name}: axe"] = found


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_unpublish_selected_partners_then_save_and_reopen_a_view(
    browser,  # noqa: F811
    live_server,
    world,
    viewport,
):
    from crm.models import Partner, SavedView
    from tests.factories import make_partner

    alpha = make_partner("Alpha Family Aid", published=True)
    beta = make_partner("Beta <b>Books</b>", published=True)
    make_partner("Gamma Garden", published=True)
    context, page = logged_in(browser, live_server, world.pat, viewport)
    problems: dict = {}

    page.goto(live_server.url + reverse("crm_partner:index"))
    check(page, "partner-list", viewport, problems)
    for partner in (alpha, beta):
        page.locator(f"input.bulk-action-checkbox[data-object-id='{partner.pk}']").check()
    footer = page.locator("[data-bulk-action-footer]")
    footer.get_by_role("link", name="Unpublish the selected partners").click()
    page.wait_for_selector("text=This will change 2 records")
    assert page.locator(".crm-bulk-list li").all_inner_texts() == [
        "Alpha Family Aid",
        "Beta <b>Books</b>",
    ]
    check(page, "unpublish-confirm", viewport, problems)
    page.get_by_role("button", name="Yes, go ahead").click()
    page.wait_for_selector("text=2 records unpublished")
    assert set(Partner.objects.filter(published=True).values_list("name", flat=True)) == {
        "Gamma Garden"
    }

    page.goto(live_server.url + reverse("crm_partner:index") + "?published=false")
    page.fill("#crm-save-view-name", "Off the site")
    page.get_by_role("button", name="Save view").click()
    page.wait_for_selector("text=Saved the view")
    view = SavedView.objects.get(user=world.pat)
    assert view.query == "published=false"
    check(page, "saved-view", viewport, problems)

    page.goto(live_server.url + reverse("crm_partner:index"))
    page.get_by_role("link", name="Off the site").click()
    page.wait_for_url(f"**{reverse('crm_partner:index')}?published=false")
    rows = page.locator("#listing-results tbody tr").all_inner_texts()
    assert len(rows) == 2 and not any("Gamma" in r for r in rows)
    check(page, "reopened-view", viewport, problems)
    context.close()
    assert problems == {}
