"""Caching for public pages: results are keyed by their inputs plus a CRM data version that any
CRM write bumps when it commits. The version lives in the shared cache (Redis in production), so
a write in any process moves every process's public pages on at once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

T = TypeVar("T")
# A backstop for writes that bypass both model signals and crm.signals.data_changed (raw SQL).
TIMEOUT = 300

log = logging.getLogger("cms.caching")


class Version:
    """A counter in the shared cache that writes move on and cache keys include, so moving it
    on retires every entry keyed on it, in every process at once."""

    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, 1, timeout=None)
            version = cache.get(self.key, 1)
        return version

    def bump(self) -> None:
        """Move the version on now; an unreachable cache is logged (entries keyed on it expire
        by their timeout)."""
        try:
            try:
                cache.incr(self.key)
            except ValueError:
                cache.set(self.key, 2, timeout=None)
        except Exception:  # noqa: BLE001 - a committed write must not fail because of the cache
            log.warning("Could not move %s on", self.key, exc_info=True)


CRM_DATA = Version("cms:crm-data-version")


def crm_data_version() -> int:
    return CRM_DATA.current()


def bump_crm_data_version() -> None:
    CRM_DATA.bump()


def crm_data_changed(using: str | None = None, **kwargs) -> None:
    """Bump now, and once more when the transaction commits.

    The bump at commit is the one that matters across processes: until the commit another
    process may cache the old rows under the new version. The bump now keeps this transaction's
    own later reads (and tests, which never commit) from seeing the old pages.
    """
    bump_crm_data_version()
    alias = using or DEFAULT_DB_ALIAS
    connection = transaction.get_connection(alias)
    if connection.in_atomic_block and not any(
        func is bump_crm_data_version for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(bump_crm_data_version, using=alias)


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


def connect_signals() -> None:
    """Any write to a CRM model, and any bulk write the domain reports, moves the version on."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from crm.signals import data_changed

    data_changed.connect(crm_data_changed, dispatch_uid="cms-v-bulk")
    for model in apps.get_app_config("crm").get_models():
        post_save.connect(crm_data_changed, sender=model, dispatch_uid=f"cms-v-save-{model}")
        post_delete.connect(crm_data_changed, sender=model, dispatch_uid=f"cms-v-del-{model}")
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(
                crm_data_changed, sender=through, dispatch_uid=f"cms-v-m2m-{through}"
            )
