"""The dashboard's reminders and the notifications page in Chromium at 390 px and 1366 px, for
partnership staff and a coordinator: no sideways scrolling, no axe-core WCAG 2.1 A/AA
violations, and "mark all read" empties the unread count. Screenshots go to /tmp/remind-*."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.site.test_admin_browser import (  # noqa: F401 - the browser fixture
    DESK,
    PHONE,
    browser,
    logged_in,
    overflow,
    pytestmark,
)
from tests.site.test_site_browser import axe_violations


@pytest.fixture
def reminders(world):
    from crm.services.activity import touchpoint_update
    from tests.factories import make_partner, make_partnership, make_referral, make_touchpoint

    today = timezone.localdate()
    partner = make_partner("Boys & Girls Club of Watts <Long Name For A Phone Screen>")
    for days in (-2, 0, 3):
        tp = make_touchpoint(partner, follow_up_on=today + dt.timedelta(days=days))
        touchpoint_update(touchpoint=tp, data={"staff": world.pat}, actor=None, source="command")
    make_partnership(
        partner,
        title="After-school tutoring",
        lead_staff=world.pat,
        end_date=today + dt.timedelta(days=30),
    )
    make_referral(world.roosevelt, partner, referred_on=today, follow_up_on=today)
    return world


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1366"])
@pytest.mark.parametrize("persona", ["pat", "cora"])
def test_dashboard_and_notifications_fit_and_pass_axe(
    browser,  # noqa: F811
    live_server,
    reminders,
    viewport,
    persona,  # noqa: F811
):
    context, page = logged_in(browser, live_server, getattr(reminders, persona), viewport)
    try:
        width = viewport["width"]
        page.goto(live_server.url + reverse("wagtailadmin_home"))
        assert "Follow-ups due:" in page.content()
        assert overflow(page) <= 0, f"dashboard scrolls sideways at {width}px"
        assert axe_violations(page) == []
        page.screenshot(path=f"/tmp/remind-{persona}-dashboard-{width}.png", full_page=True)
        page.locator("#followups-heading, [id^=followups]").first.scroll_into_view_if_needed()
        page.screenshot(path=f"/tmp/remind-{persona}-reminders-{width}.png")

        page.goto(live_server.url + reverse("crm_notifications"))
        assert page.locator("[data-notification]").count() >= 1
        assert overflow(page) <= 0, f"notifications scroll sideways at {width}px"
        assert axe_violations(page) == []
        page.screenshot(path=f"/tmp/remind-{persona}-notifications-{width}.png", full_page=True)
        page.get_by_role("button", name="Mark all read").click()
        page.wait_for_load_state()
        assert page.locator(".pb-notification--unread").count() == 0
    finally:
        context.close()
