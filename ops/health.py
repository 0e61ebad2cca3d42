"""/healthz (the process answers) and /readyz (database, cache and task queue reachable, matcher
index built): never cached, and a failing check answers 503 with which one failed."""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("ops.health")


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    key = f"ops:readyz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    if cache.get(key) != 1:
        raise RuntimeError("a value written was not read back")
    cache.delete(key)
    return "ok"


def _queue() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return "immediate"
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    return f"ok ({waiting} waiting)"


def _matcher() -> str:
    from crm.selectors.partners import partner_index_ready

    if settings.MATCH_INDEX_WARM and not partner_index_ready():
        raise RuntimeError("the matcher index is not built yet")
    return "ok"


CHECKS = {"database": _database, "cache": _cache, "queue": _queue, "matcher_index": _matcher}


@never_cache
@require_safe
def readyz(request):
    results, ok = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            results[name] = check()
        except Exception as err:  # noqa: BLE001 - a failed check is the answer, not an error
            ok = False
            results[name] = f"failed: {type(err).__name__}: {err}"
            log.warning("readyz: %s failed: %s", name, err)
        results[f"{name}_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse({"status": "ok" if ok else "failing", **results}, status=200 if ok else 503)
