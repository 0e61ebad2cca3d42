"""The bot's slow work as background tasks (report generation and upload), off the web worker."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from slack_sdk.errors import SlackApiError

from bots import views
from bots.respond import log, reply
from bots.web import web_client
from bots.workspace import UNREACHABLE, is_unreachable
from crm.reports.render import report_chart_png, report_csv, report_headline
from crm.selectors.reports import annual_report
from ops.runs import job

UNREACHABLE_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


@job(retries=3, backoff=20)
def slack_report(
    *, staff_id: int, fiscal_year: int, channel_id: str, slack_user_id: str, response_url: str
) -> dict:
    """Post the headline, upload the CSV and the chart; a channel the bot is not in gets a DM."""
    user = get_user_model().objects.get(pk=staff_id)
    if not user.is_active or not user.has_perm("crm.view_report"):
        return {"refused": "no permission"}
    try:
        report = annual_report(fiscal_year=fiscal_year)
    except ValueError as err:
        reply(response_url, views.ephemeral(str(err)))
        return {"refused": str(err)}
    headline = report_headline(report)
    slug = report.label.replace(" ", "_")
    uploads = [
        {"content": report_csv(report), "filename": f"partnerbase_{slug}.csv", "title": "Data"},
        {"content": report_chart_png(report), "filename": f"partnerbase_{slug}.png"},
    ]
    client = web_client()
    try:
        return deliver(client, report, headline, uploads, channel_id, slack_user_id, response_url)
    except Exception as err:  # noqa: BLE001 - any failure to reach Slack: tell the person, log why
        if not is_unreachable(err):
            raise
        log.warning("Could not post the %s report, Slack unreachable: %r", report.label, err)
        reply(response_url, views.ephemeral(UNREACHABLE))
        return {"refused": "Slack unreachable"}


def deliver(client, report, headline, uploads, channel_id, slack_user_id, response_url) -> dict:
    try:
        publish(client, channel=channel_id, headline=headline, uploads=uploads, label=report.label)
    except SlackApiError as err:
        if err.response.get("error") not in UNREACHABLE_CHANNEL:
            raise
        # The bot is not in that channel: deliver the report in a direct message instead.
        dm = client.conversations_open(users=slack_user_id)["channel"]["id"]
        publish(client, channel=dm, headline=headline, uploads=uploads, label=report.label)
        reply(
            response_url,
            views.ephemeral(
                "I can't post in this channel, so I sent the report to you directly. "
                "Invite me with `/invite @Partnerbase` to share it here."
            ),
        )
        return {"posted": report.label, "channel": "dm"}
    return {"posted": report.label, "channel": channel_id}


def publish(client, *, channel: str, headline: str, uploads: list[dict], label: str) -> None:
    client.chat_postMessage(channel=channel, text=headline, blocks=views.headline_blocks(headline))
    client.files_upload_v2(
        channel=channel,
        file_uploads=[{**u, "title": f"{label} {u.get('title', 'chart')}"} for u in uploads],
        initial_comment=f"{label}: data and chart",
    )
    log.info("Posted the %s report to %s", label, channel)
