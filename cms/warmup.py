"""What a web server process does once, when it loads the app, before its first request."""

from __future__ import annotations

import gc
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

from crm.selectors import matcher_index
from crm.selectors.public.search import public_search_warm

log = logging.getLogger("cms.warmup")


def warm() -> None:
    """Build the matcher index and the public search now (MATCH_INDEX_WARM), not on the first
    duplicate check or the first visitor's search."""
    if settings.MATCH_INDEX_WARM:
        started = time.perf_counter()
        if matcher_index.partner_index_warm():
            log.info("Matcher index built in %.2f s", time.perf_counter() - started)
            started = time.perf_counter()
            try:
                public_search_warm()
            except DatabaseError as err:
                log.warning("The public search was not built at start: %s", err)
            else:
                log.info("Public search built in %.2f s", time.perf_counter() - started)
            # What was built lives as long as the process: collections need not walk it, and a
            # forked worker that does not touch it keeps sharing its pages.
            gc.freeze()
        # A server that forks its workers after loading the app must not hand them this
        # process's database connection.
        connections.close_all()
