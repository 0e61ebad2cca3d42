"""What a web server process does once, when it loads the app, before its first request."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connections

from crm.selectors import matcher_index

log = logging.getLogger("cms.warmup")


def warm() -> None:
    """Build the matcher index now (MATCH_INDEX_WARM), not on the first duplicate check."""
    if settings.MATCH_INDEX_WARM:
        started = time.perf_counter()
        if matcher_index.partner_index_warm():
            log.info("Matcher index built in %.2f s", time.perf_counter() - started)
        # A server that forks its workers after loading the app must not hand them this
        # process's database connection.
        connections.close_all()
