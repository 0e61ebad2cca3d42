"""`/partners report [FY]`, after the ack: queue the report for the background worker, which
posts the headline and uploads the CSV and the chart (bots.tasks.slack_report)."""

from __future__ import annotations

from bots.command_line import plan_for
from bots.listeners.common import actor
from bots.tasks import slack_report
from ops.runs import enqueue_once


def report_lazy(body, client, context):
    plan = plan_for(body.get("text", ""))
    if plan.sub != "report" or plan.error:
        return
    user = actor(context)
    if not user.has_perm("crm.view_report"):
        return
    # Keyed by the command's trigger: a redelivered command does not post the report twice.
    enqueue_once(
        slack_report,
        key=f"slack-report:{body.get('trigger_id') or body.get('response_url', '')}",
        staff_id=user.pk,
        fiscal_year=plan.fiscal_year,
        channel_id=body.get("channel_id", ""),
        slack_user_id=body.get("user_id", ""),
        response_url=body.get("response_url", ""),
    )
