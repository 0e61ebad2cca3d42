"""Notifications are written by the services that assign or deliver, never for the person who
acted, are seen only within scope, and are marked read by their recipient alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from crm.models import Notification, NotificationVerb
from crm.selectors.notifications import notification_rows, notifications_for, unread_count
from crm.services.activity import partnership_create, partnership_update, touchpoint_update
from crm.services.agreements import agreement_reminders_send
from crm.services.notifications import notification_mark_read, notifications_mark_all_read
from crm.services.partner_links import referral_link_create, referral_link_report
from crm.services.referrals import referral_create
from tests.factories import (
    make_agreement,
    make_partner,
    make_partnership,
    make_referral,
    make_touchpoint,
)


def _verbs(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


@pytest.fixture
def partner(world):
    return make_partner("Harbor Food Bank")


def test_a_new_lead_hears_of_the_partnership_and_whoever_assigned_does_not(world, partner):
    p = partnership_create(
        partner=partner,
        start_date=dt.date(2025, 1, 1),
        lead_staff=world.pat,
        actor=world.ana,
        source="admin",
    )
    assert _verbs(world.pat) == [NotificationVerb.PARTNERSHIP_LEAD]
    assert _verbs(world.ana) == []
    note = Notification.objects.get(recipient=world.pat)
    assert (note.target, note.actor) == (p, world.ana)


def test_no_notification_for_taking_the_lead_yourself(world, partner):
    p = partnership_create(
        partner=partner,
        start_date=dt.date(2025, 1, 1),
        lead_staff=world.pat,
        actor=world.pat,
        source="admin",
    )
    partnership_update(partnership=p, data={"title": "Pantry"}, actor=world.ana, source="admin")
    assert _verbs(world.pat) == []


def test_a_lead_change_notifies_the_new_lead_only(world, partner):
    p = make_partnership(partner, lead_staff=world.pat)
    Notification.objects.all().delete()
    partnership_update(
        partnership=p, data={"lead_staff": world.ana}, actor=world.sam, source="admin"
    )
    assert _verbs(world.ana) == [NotificationVerb.PARTNERSHIP_LEAD]
    assert _verbs(world.pat) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"staff": "pat"}, [NotificationVerb.FOLLOW_UP_ASSIGNED]),
        ({"staff": "pat", "follow_up_done": True}, []),
        ({"summary": "Spoke again."}, []),
    ],
)
def test_a_follow_up_handed_to_someone_notifies_them(world, partner, data, expected):
    tp = make_touchpoint(partner, follow_up_on=dt.date(2025, 2, 1))
    data = {k: getattr(world, v) if k == "staff" else v for k, v in data.items()}
    touchpoint_update(touchpoint=tp, data=data, actor=world.ana, source="admin")
    assert _verbs(world.pat) == expected


def test_a_follow_up_you_give_yourself_is_silent(world, partner):
    tp = make_touchpoint(partner, follow_up_on=dt.date(2025, 2, 1))
    touchpoint_update(touchpoint=tp, data={"staff": world.pat}, actor=world.pat, source="admin")
    assert _verbs(world.pat) == []


def test_a_new_referral_tells_that_schools_coordinators_only(world, partner):
    referral_create(
        school=world.roosevelt,
        partner=partner,
        student_ref="ROOS-7001",
        need_category="food",
        referred_on=dt.date(2025, 1, 6),
        actor=world.ana,
        source="admin",
    )
    assert _verbs(world.cora) == [NotificationVerb.REFERRAL_NEW]
    assert _verbs(world.omar) == _verbs(world.pat) == _verbs(world.lee) == []


def test_a_coordinators_own_referral_is_not_news_to_them(world, partner):
    referral_create(
        school=world.roosevelt,
        partner=partner,
        student_ref="ROOS-7002",
        need_category="food",
        referred_on=dt.date(2025, 1, 6),
        actor=world.cora,
        source="admin",
    )
    assert _verbs(world.cora) == []


def test_a_partner_update_through_a_link_reaches_the_coordinator(world, partner):
    referral = make_referral(world.roosevelt, partner, student_ref="ROOS-7003")
    Notification.objects.all().delete()
    _, token = referral_link_create(referral=referral, actor=None, source="command")
    referral_link_report(token=token, to_status="accepted")
    assert _verbs(world.cora) == [NotificationVerb.REFERRAL_PARTNER_UPDATE]
    assert Notification.objects.get(recipient=world.cora).detail == {"status": "accepted"}
    (row,) = notification_rows(world.cora)
    assert row.text == f"Harbor Food Bank reported {referral} as accepted."
    assert "ROOS-7003" not in row.text


def test_agreement_reminders_notify_the_lead_once_per_threshold(world, partner):
    p = make_partnership(partner, lead_staff=world.pat)
    make_agreement(p, expires_on=dt.date(2025, 3, 31))
    Notification.objects.all().delete()
    agreement_reminders_send(today=dt.date(2025, 1, 30), source="command")
    agreement_reminders_send(today=dt.date(2025, 1, 31), source="command")
    assert _verbs(world.pat) == [NotificationVerb.AGREEMENT_EXPIRING]
    (row,) = notification_rows(world.pat)
    assert "expires on 2025-03-31 (within 60 days)" in row.text


def test_a_referral_notification_leaves_with_the_school(world, partner):
    make_referral(world.roosevelt, partner)
    assert unread_count(world.cora) == 1
    world.cora.staff_profile.schools.clear()
    assert unread_count(world.cora) == 0 and notification_rows(world.cora) == []


def test_only_the_recipient_marks_read(world, partner):
    make_referral(world.roosevelt, partner)
    make_referral(world.roosevelt, partner)
    first = notifications_for(world.cora).last()
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=first, actor=world.omar)
    notification_mark_read(notification=first, actor=world.cora)
    assert unread_count(world.cora) == 1
    assert notifications_mark_all_read(actor=world.omar) == 0
    assert notifications_mark_all_read(actor=world.cora) == 1
    assert unread_count(world.cora) == 0
