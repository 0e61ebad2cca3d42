"""The process's Slack Web API client, shared by the Bolt app and the background tasks."""

from __future__ import annotations

import threading

from django.conf import settings
from slack_sdk import WebClient

_lock = threading.Lock()
_cache: dict[str, WebClient] = {}


def web_client() -> WebClient:
    """The client installed with `use_web_client`, else one built from the settings."""
    with _lock:
        if "client" not in _cache:
            _cache["client"] = WebClient(
                token=settings.SLACK_BOT_TOKEN or None, base_url=settings.SLACK_API_URL
            )
        return _cache["client"]


def use_web_client(client: WebClient | None) -> None:
    """Install a given client (the app's, in tests and benchmarks), or forget it with None."""
    with _lock:
        _cache.clear()
        if client is not None:
            _cache["client"] = client
