"""What a web server process does once, when it loads the app, before its first request."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

from crm.selectors import partners


def warm() -> None:
    """Build the matcher index now (MATCH_INDEX_WARM), not on the first duplicate check."""
    if settings.MATCH_INDEX_WARM:
        partners.partner_index_warm()
        # A server that forks its workers after loading the app must not hand them this
        # process's database connection.
        connections.close_all()
