"""Caching for public pages: results are keyed by their inputs plus the CRM data version
(crm.data_version), which lives in the shared cache, so a write in any process moves every
process's public pages on at once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from crm.data_version import crm_data_version

T = TypeVar("T")
# A backstop for writes that bypass both model signals and crm.signals.data_changed (raw SQL).
TIMEOUT = 300

log = logging.getLogger("cms.caching")


def cached(name: str, key: str, compute: Callable[[], T]) -> T:
    """The value for (name, key) at the current CRM data version, computed at most once."""
    # Hashed: filter values are visitor input and may hold spaces or any character.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    try:
        full_key = f"cms:{name}:v{crm_data_version()}:{digest}"
        value = cache.get(full_key)
    except Exception:  # noqa: BLE001 - the page is still served, uncached, without the cache
        log.warning("Cache unreachable; computing %s uncached", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, TIMEOUT)
        except Exception:  # noqa: BLE001
            log.warning("Cache unreachable; %s not stored", name, exc_info=True)
    return value
