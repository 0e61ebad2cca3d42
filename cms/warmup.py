"""What a web server process does once, when it loads the app, before its first request."""

from __future__ import annotations

import gc
import io
import logging
import sys
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from django.db import DatabaseError, connections
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import translation

from crm.selectors import matcher_index
from crm.selectors.public.search import public_search_warm
from crm.selectors.staff_search import partner_search_ids

log = logging.getLogger("cms.warmup")


TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".svg")


def load_code() -> int:
    """Import every view (through the URLconf), compile every template and read both languages'
    translations now. Otherwise each forked worker pays for them on its first requests: 0.7 s
    for its first public page, 0.3 s for its first admin page. Returns the templates compiled."""
    get_resolver().reverse_dict  # noqa: B018 - reading it imports every URLconf and view
    compiled = 0
    for engine in engines.all():
        for directory in [*engine.engine.dirs, *get_app_template_dirs("templates")]:
            for path in sorted(Path(directory).rglob("*")):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except Exception:  # noqa: BLE001 - a template of an unused optional feature
                    continue
                compiled += 1
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Partners")
    return compiled


def warm() -> None:
    """Load the code (WARM_CODE), then build the matcher index and the public search
    (MATCH_INDEX_WARM) now, not on the first request, duplicate check or visitor's search."""
    if settings.WARM_CODE:
        started = time.perf_counter()
        compiled = load_code()
        log.info("Code loaded in %.2f s (%d templates)", time.perf_counter() - started, compiled)
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


# What a visitor and a member of staff open first. A forked worker would otherwise pay, on its
# first requests, for its own database connection, its first touch of the index pages it shares
# with the master (each one copied on write), and its per-process memos.
WORKER_PATHS = (
    "/",
    "/partners/",
    "/partners/?q=food",
    "/es/partners/?q=comida",
    "/community-schools/",
    "/admin/login/",
)


def warm_worker(application) -> float:
    """Serve WORKER_PATHS to `application` and run a staff partner search, inside a worker that
    has just been forked, before it accepts a connection (gunicorn's post_worker_init). A page
    that fails is logged, never raised: a worker that starts cold still serves. Returns seconds."""
    started = time.perf_counter()
    host = _own_host()
    for path in WORKER_PATHS:
        try:
            status = _get(application, path, host)
        except Exception:  # noqa: BLE001 - warming must not keep a worker from starting
            log.warning("Worker warm-up: %s failed", path, exc_info=True)
        else:
            log.debug("Worker warm-up: %s %s", path, status)
    try:
        partner_search_ids("food")
    except DatabaseError as err:
        log.warning("Worker warm-up: the staff search failed: %s", err)
    return time.perf_counter() - started


def _own_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.lstrip(".")
    return "localhost"


def _get(application, path: str, host: str) -> str:
    """One GET through the whole WSGI stack (middleware included), as if through the proxy."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": host,
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_REQUEST_ID": "worker-warm-up",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    setup_testing_defaults(environ)
    statuses = []
    response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        for _chunk in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    return statuses[0] if statuses else ""
