"""Browser tests of the main flows of partnership staff and leadership at 390 and 1366 px: staff
review a likely duplicate, merge it and undo the merge; leadership reads the annual report, a
progress pack and the gap view. Each page visited fits the screen and passes axe-core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.models import DuplicateCandidate, MergeRecord, Partner
from crm.services.dedup import duplicate_queue_refresh
from tests.factories import make_partner
from tests.site.test_admin_browser import (
    DESK,
    PHONE,
    axe_violations,
    browser,  # noqa: F401 - the fixture
    covered_by_menu_button,
    logged_in,
    overflow,
    shoot,
)

pytestmark = pytest.mark.django_db(transaction=True)
SYSTEM = {"actor": None, "source": "command"}


def fits(page, name: str, viewport: dict) -> None:
    shoot(page, name, viewport)
    assert overflow(page) <= 0, f"{name} is wider than the screen at {viewport['width']} px"
    assert covered_by_menu_button(page) == [], name
    assert axe_violations(page) == [], name


@pytest.fixture
def queued(world):
    keep = make_partner(
        "Boys & Girls Club of Burbank",
        website="bgcburbank.org",
        phone="818-555-0100",
        description="After-school programs, sports and homework help for Burbank youth.",
    )
    dupe = make_partner(
        "Boys and Girls Club of Burbank, Inc.",
        website="https://www.bgcburbank.org",
        ein="95-1234567",
        street="300 E Olive Ave",
        public_email="a.very.long.mailbox.name.for.partnerships@bgcburbank-example.org",
    )
    duplicate_queue_refresh(**SYSTEM)
    return keep, dupe, DuplicateCandidate.objects.get(left=keep, right=dupe)


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_staff_merge_a_duplicate_and_undo_it(browser, live_server, world, queued, viewport):  # noqa: F811
    keep, dupe, candidate = queued
    context, page = logged_in(browser, live_server, world.pat, viewport)
    try:
        page.goto(live_server.url + reverse("crm_dedup_queue"))
        fits(page, "duplicates", viewport)
        page.locator(f"a[href='{reverse('crm_dedup_compare', args=[candidate.pk])}']").first.click()
        page.wait_for_url(f"**{reverse('crm_dedup_compare', args=[candidate.pk])}")
        fits(page, "compare", viewport)
        page.get_by_role("link", name="Merge…").click()
        page.wait_for_url(f"**{reverse('crm_dedup_merge', args=[candidate.pk])}")
        fits(page, "merge", viewport)
        page.get_by_role("button", name="Merge", exact=True).click()
        page.wait_for_load_state()
        merge = MergeRecord.objects.get()
        assert {merge.survivor_id, merge.loser_id} == {keep.pk, dupe.pk}
        assert Partner.objects.get(pk=merge.loser_id).merged_into_id == merge.survivor_id

        page.goto(live_server.url + reverse("crm_dedup_history"))
        fits(page, "merge history", viewport)
        page.get_by_role("link", name="Undo").click()
        page.wait_for_url(f"**{reverse('crm_dedup_undo', args=[merge.pk])}")
        fits(page, "undo", viewport)
        page.get_by_role("button", name="Undo merge").click()
        page.wait_for_load_state()
        merge.refresh_from_db()
        assert merge.undone_at is not None
        assert Partner.objects.get(pk=merge.loser_id).merged_into_id is None
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
def test_leadership_reads_the_report_packs_and_gaps(browser, live_server, world, viewport):  # noqa: F811
    context, page = logged_in(browser, live_server, world.lee, viewport)
    pages = {
        "dashboard": reverse("wagtailadmin_home"),
        "annual report": reverse("crm_annual_report"),
        "progress packs": reverse("ccspp_packs:index"),
        "gap view": reverse("ccspp_gaps:index"),
        "partners": reverse("crm_partner:index"),
    }
    try:
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, (name, response.status)
            fits(page, name, viewport)
        page.goto(live_server.url + reverse("crm_annual_report"))
        for kind in ("CSV", "XLSX", "PDF"):
            assert page.get_by_role("link", name=f"Download {kind}").count() == 1, kind
    finally:
        context.close()
