"""The notifications page, its sidebar item with the unread count, the dashboard panel and the
daily digest's line: escaped, scoped to the reader, marked read through the services."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from crm.models import Notification
from crm.services.activity import partnership_create
from crm.services.followups import digest_text
from tests.factories import make_partner, make_referral
from tests.hostile import NAMES

URL = "/admin/notifications/"


@pytest.fixture
def notes(world):
    """Two referrals at Roosevelt (Cora's school) recorded by the system: two notes for Cora."""
    partner = make_partner("Harbor Food Bank")
    return [make_referral(world.roosevelt, partner) for _ in range(2)]


def _menu_labels(html: str) -> list[str]:
    props = html.split('id="wagtail-sidebar-props"', 1)[1].split("</script>", 1)[0]
    return re.findall(r"Notifications[^\"]*", props)


def test_the_sidebar_counts_unread_and_the_page_lists_them(world, notes, client):
    client.force_login(world.cora)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert _menu_labels(home) == ["Notifications (2)"]
    assert "Notifications (2 unread)" in home.split('data-panel="notifications"', 1)[1]
    page = client.get(URL).content.decode()
    assert page.count("data-notification=") == 2
    assert reverse("referral:inspect", args=[notes[0].pk]) in page


def test_mark_read_then_mark_all(world, notes, client):
    client.force_login(world.cora)
    first = Notification.objects.filter(recipient=world.cora).first()
    assert client.post(URL, {"read": first.pk}).status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(URL, {"all": "1"})
    assert not Notification.objects.filter(recipient=world.cora, read_at__isnull=True).exists()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert _menu_labels(home) == ["Notifications"]
    assert 'data-panel="notifications"' not in home


def test_nobody_marks_another_persons_notification(world, notes, client):
    client.force_login(world.omar)
    theirs = Notification.objects.filter(recipient=world.cora).first()
    assert client.post(URL, {"read": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = client.get(URL).content.decode()
    assert "data-notification=" not in page and "Harbor Food Bank" not in page


def test_others_never_see_a_referral_notification(world, notes, client):
    """Leadership is outside referral scope even if a note was somehow addressed to them."""
    note = Notification.objects.filter(recipient=world.cora).first()
    Notification.objects.create(
        recipient=world.lee, verb=note.verb, target_type=note.target_type, target_id=note.target_id
    )
    client.force_login(world.lee)
    assert "data-notification=" not in client.get(URL).content.decode()


@pytest.mark.parametrize("name", NAMES[:5])
def test_stored_names_are_shown_as_text(world, client, name):
    partner = make_partner(name)
    partnership_create(
        partner=partner,
        start_date=dt.date(2025, 1, 1),
        title=name,
        lead_staff=world.pat,
        actor=world.ana,
        source="admin",
    )
    client.force_login(world.pat)
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("data-notification=") == 1


def test_the_digest_carries_the_count_and_a_link_only(world, notes):
    with time_machine.travel(dt.datetime(2025, 1, 6, 15, tzinfo=dt.UTC)):
        text = digest_text(world.cora, today=dt.date(2025, 1, 6))
    assert "2 unread notification(s): http" in text and "/admin/notifications/" in text
    assert notes[0].student_ref not in text
    assert digest_text(world.omar, today=dt.date(2025, 1, 6)) is None
