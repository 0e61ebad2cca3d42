"""Caching for public pages: results are keyed by their inputs plus a CRM data version that any
CRM write bumps, so a cached directory page never outlives the data it shows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
VERSION_KEY = "cms:crm-data-version"
# A backstop for writes that bypass model signals (queryset.update, raw SQL).
TIMEOUT = 300


def crm_data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def crm_data_changed(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached(name: str, key: str, compute: Callable[[], T]) -> T:
    """The value for (name, key) at the current CRM data version, computed at most once."""
    # Hashed: filter values are visitor input and may hold spaces or any character.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    full_key = f"cms:{name}:v{crm_data_version()}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def connect_signals() -> None:
    """Any write to a CRM model moves the data version on."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in apps.get_app_config("crm").get_models():
        post_save.connect(crm_data_changed, sender=model, dispatch_uid=f"cms-v-save-{model}")
        post_delete.connect(crm_data_changed, sender=model, dispatch_uid=f"cms-v-del-{model}")
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(
                crm_data_changed, sender=through, dispatch_uid=f"cms-v-m2m-{through}"
            )
