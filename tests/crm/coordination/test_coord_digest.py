"""Follow-ups on the dashboard, and the daily digest by email and Slack DM: counts and links,
never a student id.
"""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from crm.models import StaffProfile
from crm.services.activity import touchpoint_create
from crm.services.followups import default_slack_client, followup_digests_send
from tests.factories import make_referral


class FakeSlack:
    def __init__(self, fail_for=()):
        self.sent = []
        self.fail_for = set(fail_for)

    def chat_postMessage(self, *, channel, text, **kwargs):  # noqa: N802 - Slack's own name
        if channel in self.fail_for:
            raise RuntimeError("channel_not_found")
        self.sent.append((channel, text))
        return {"ok": True}


@pytest.fixture
def due(schools):
    today = timezone.localdate()
    w = schools.world
    referral = make_referral(
        w.roosevelt,
        schools.food_bank,
        student_ref="ROOS-7777",
        referred_on=today,
        follow_up_on=today,
    )
    for user in (w.cora, w.pat):
        touchpoint_create(
            partner=schools.clinic,
            occurred_on=today - dt.timedelta(days=7),
            channel="call",
            summary="Asked about a health fair",
            next_step="Confirm the date",
            follow_up_on=today,
            actor=user,
            source="admin",
        )
    StaffProfile.objects.filter(user=w.lee).update(wants_digest=False)
    return referral


def test_digest_email_has_counts_and_links_only(schools, due):
    result = followup_digests_send(
        today=timezone.localdate(), actor=None, source="command", slack_client=FakeSlack()
    )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {
        "cora@example.org",
        "pat@example.org",
        "ana@example.org",
        "sam@example.org",
        "omar@example.org",
    }
    cora = by_recipient["cora@example.org"].body
    assert "1 partner follow-up(s) due" in cora
    assert "1 referral(s) need action" in cora
    assert "/admin/my-schools/" in cora
    for message in mail.outbox:
        assert "ROOS-" not in message.body and "GARF-" not in message.body
    # Omar has nothing due but an unread notification (Garfield's new referral); lee opted out.
    assert "1 unread notification(s)" in by_recipient["omar@example.org"].body
    assert result.emails == 5 and result.skipped == 0


def test_slack_dm_goes_to_users_with_a_slack_id_without_student_ids(schools, due):
    slack = FakeSlack()
    result = followup_digests_send(
        today=timezone.localdate(), actor=None, source="command", slack_client=slack
    )
    assert sorted(channel for channel, _ in slack.sent) == ["U0CORA", "U0PAT"]
    for _, text in slack.sent:
        assert "ROOS-7777" not in text and "ROOS-1001" not in text
        assert "http" in text
    assert result.slack_messages == 2


def test_a_failed_slack_dm_is_reported_and_others_still_go(schools, due):
    slack = FakeSlack(fail_for={"U0CORA"})
    result = followup_digests_send(
        today=timezone.localdate(), actor=None, source="command", slack_client=slack
    )
    assert [c for c, _ in slack.sent] == ["U0PAT"]
    assert any("cora" in f for f in result.failures)
    assert len(mail.outbox) == 5


def test_no_slack_without_a_token(settings):
    settings.SLACK_BOT_TOKEN = ""
    assert default_slack_client() is None
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    assert default_slack_client().token == "xoxb-test"


def test_the_command_sends_email(schools, due, settings):
    settings.SLACK_BOT_TOKEN = ""
    out = io.StringIO()
    call_command("send_followup_digest", stdout=out)
    assert "5 email(s), 0 Slack message(s)" in out.getvalue()


def test_dashboard_panel_lists_follow_ups(schools, due, login):
    response = login(schools.world.cora).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Follow-ups due" in html and "Confirm the date" in html
    assert reverse("referral:inspect", args=[due.pk]) in html
    assert reverse("referral:inspect", args=[schools.g_ref.pk]) not in html


def test_dashboard_panel_shows_leadership_no_referrals(schools, due, login):
    html = login(schools.world.lee).get(reverse("wagtailadmin_home")).content.decode()
    assert "Follow-ups due" in html and "/admin/referral/inspect/" not in html
