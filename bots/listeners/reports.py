"""`/partners report [FY]`, after the ack: post the headline, upload the CSV and the chart."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bots import views
from bots.listeners.common import actor, log, reply
from bots.workspace import UNREACHABLE, is_unreachable

UNREACHABLE_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


def report_lazy(body, client, context):
    from bots.listeners.commands import plan_for

    plan = plan_for(body.get("text", ""))
    if plan.sub != "report" or plan.error:
        return
    user = actor(context)
    response_url = body.get("response_url")
    if not user.has_perm("crm.view_report"):
        return
    try:
        # Imported here: the report lives in its own module, which this bot only reads.
        from crm.reports.render import report_chart_png, report_csv, report_headline
        from crm.selectors.reports import annual_report
    except ImportError:
        reply(response_url, views.ephemeral("The annual report is not available on this server."))
        return
    try:
        report = annual_report(fiscal_year=plan.fiscal_year)
    except ValueError as err:
        reply(response_url, views.ephemeral(str(err)))
        return
    headline = report_headline(report)
    slug = report.label.replace(" ", "_")
    uploads = [
        {"content": report_csv(report), "filename": f"partnerbase_{slug}.csv", "title": "Data"},
        {"content": report_chart_png(report), "filename": f"partnerbase_{slug}.png"},
    ]
    channel = body.get("channel_id", "")
    try:
        deliver(client, body, channel=channel, headline=headline, uploads=uploads, report=report)
    except Exception as err:  # noqa: BLE001 - any failure: tell the person, log why
        if not is_unreachable(err):
            raise
        log.warning("Could not post the %s report, Slack unreachable: %r", report.label, err)
        reply(response_url, views.ephemeral(UNREACHABLE))


def deliver(client, body, *, channel: str, headline: str, uploads: list[dict], report) -> None:
    response_url = body.get("response_url")
    try:
        publish(client, channel=channel, headline=headline, uploads=uploads, label=report.label)
    except SlackApiError as err:
        if err.response.get("error") not in UNREACHABLE_CHANNEL:
            raise
        # The bot is not in that channel: deliver the report in a direct message instead.
        dm = client.conversations_open(users=body["user_id"])["channel"]["id"]
        publish(client, channel=dm, headline=headline, uploads=uploads, label=report.label)
        reply(
            response_url,
            views.ephemeral(
                "I can't post in this channel, so I sent the report to you directly. "
                "Invite me with `/invite @Partnerbase` to share it here."
            ),
        )


def publish(client, *, channel: str, headline: str, uploads: list[dict], label: str) -> None:
    client.chat_postMessage(channel=channel, text=headline, blocks=views.headline_blocks(headline))
    client.files_upload_v2(
        channel=channel,
        file_uploads=[{**u, "title": f"{label} {u.get('title', 'chart')}"} for u in uploads],
        initial_comment=f"{label}: data and chart",
    )
    log.info("Posted the %s report to %s", label, channel)
