"""Run the bot over Socket Mode (no public URL needed): `manage.py runslackbot`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Connect the Partnerbase Slack app over Socket Mode (needs SLACK_APP_TOKEN, xapp-…)."

    def handle(self, *args, **options):
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from bots.slack_app import get_app, get_handler

        if not settings.SLACK_APP_TOKEN.startswith("xapp-"):
            raise CommandError("Set SLACK_APP_TOKEN to the app-level token (xapp-…).")
        if not settings.SLACK_BOT_TOKEN.startswith("xoxb-"):
            raise CommandError("Set SLACK_BOT_TOKEN to the bot token (xoxb-…).")
        # The Django handler installs a lazy runner that releases thread-bound DB connections.
        get_handler()
        self.stdout.write("Connecting to Slack over Socket Mode; Ctrl-C stops.")
        SocketModeHandler(get_app(), settings.SLACK_APP_TOKEN).start()
