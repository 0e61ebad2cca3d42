"""`/partners report [FY]`: ack at once, then the headline, the CSV and the chart in Slack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from crm.reports.render import report_csv, report_headline
from crm.selectors.reports import annual_report
from tests.factories import make_partner, make_partnership

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def lee(world):
    world.lee.staff_profile.slack_user_id = "U0LEE"
    world.lee.staff_profile.save()
    return world.lee


@dataclass(frozen=True)
class FakeReport:
    fiscal_year: int
    label: str


@pytest.fixture
def fake_report(monkeypatch):
    """A stand-in report, so these tests check the delivery alone (the real one is below)."""
    from bots import tasks

    monkeypatch.setattr(
        tasks,
        "annual_report",
        lambda *, fiscal_year: FakeReport(
            fiscal_year, f"FY {fiscal_year - 1}-{fiscal_year % 100:02d}"
        ),
    )
    monkeypatch.setattr(
        tasks, "report_headline", lambda r: f"{r.label}: 12 strategic partnerships (+20%)"
    )
    monkeypatch.setattr(tasks, "report_csv", lambda r: "metric,value\r\nstrategic_partners,12\r\n")
    monkeypatch.setattr(tasks, "report_chart_png", lambda r: PNG)


def uploaded(stub) -> dict[str, bytes]:
    names = [c["params"]["filename"] for c in stub.called("files.getUploadURLExternal")]
    bodies = [c["raw"] for c in stub.calls if c["method"].startswith("/upload/")]
    return dict(zip(names, bodies, strict=True))


def test_slack_report_acks_then_posts_and_uploads(lee, slack, fake_report):
    response = slack.command("report 2024-25", user="U0LEE")
    assert response.json() == {
        "response_type": "ephemeral",
        "text": "Preparing the FY 2024-25 report…",
    }
    posted = slack.stub.called("chat.postMessage")
    assert [p["params"]["channel"] for p in posted] == ["C0GEN"]
    assert posted[0]["params"]["text"] == "FY 2024-25: 12 strategic partnerships (+20%)"
    files = uploaded(slack.stub)
    assert files["partnerbase_FY_2024-25.csv"].startswith(b"metric,value")
    assert files["partnerbase_FY_2024-25.png"] == PNG
    complete = slack.stub.called("files.completeUploadExternal")[0]["params"]
    assert complete["channel_id"] == "C0GEN"


def test_slack_report_goes_to_a_direct_message_outside_the_channel(lee, slack, fake_report):
    slack.stub.failures[("chat.postMessage", "C0GEN")] = "not_in_channel"
    slack.command("report 2023-24", user="U0LEE")
    assert slack.stub.called("conversations.open")[0]["params"]["users"] == "U0LEE"
    complete = slack.stub.called("files.completeUploadExternal")[0]["params"]
    assert complete["channel_id"] == "D0DIRECT"
    replies = slack.stub.called("/response/command")
    assert "/invite @Partnerbase" in replies[0]["params"]["text"]


def test_slack_report_end_to_end(lee, slack):
    for n, start in enumerate([dt.date(2023, 9, 1), dt.date(2024, 9, 1), dt.date(2024, 10, 1)]):
        make_partnership(
            make_partner(f"Strategic Partner Number {n}"), start_date=start, strategic=True
        )
    slack.command("report 2024-25", user="U0LEE")
    report = annual_report(fiscal_year=2025)
    posted = slack.stub.called("chat.postMessage")[0]["params"]
    assert posted["text"] == report_headline(report)
    files = list(uploaded(slack.stub).values())
    assert files[0].decode() == report_csv(report)
    assert files[1].startswith(b"\x89PNG")


def test_slack_report_unknown_fy_posts_nothing(lee, slack, fake_report):
    body = slack.command("report 2024-26", user="U0LEE").json()
    assert "second year must follow" in body["text"]
    assert "`/partners report 2024-25`" in body["text"]
    assert slack.stub.called("chat.postMessage") == []
    assert slack.stub.called("files.getUploadURLExternal") == []
