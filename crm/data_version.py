"""Data versions: counters in the shared cache that writes move on when they commit, so what is
cached on them stays right in every process. The CRM version moves on with any CRM write (public
pages); the partners version only with writes to partners and their links (search indexes)."""

from __future__ import annotations

import logging
import time
from functools import cache as cache_on_first_call

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, transaction

log = logging.getLogger(__name__)


class Version:
    """A counter in the shared cache that writes move on and cache keys include, so moving it
    on retires every entry keyed on it, in every process at once."""

    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:
            # Started from the clock, not from 1: a process may still hold values kept at the
            # numbers a restarted (emptied) cache would otherwise count through again.
            cache.add(self.key, time.time_ns() // 1_000_000, timeout=None)
            version = cache.get(self.key, 1)
        return version

    def bump(self) -> None:
        """Move the version on now; an unreachable cache is logged (entries keyed on it expire
        by their timeout)."""
        try:
            try:
                cache.incr(self.key)
            except ValueError:
                cache.set(self.key, time.time_ns() // 1_000_000, timeout=None)
        except Exception:  # noqa: BLE001 - a committed write must not fail because of the cache
            log.warning("Could not move %s on", self.key, exc_info=True)


CRM_DATA = Version("cms:crm-data-version")
PARTNERS = Version("crm:partners-version")
# How long a read kept at a version is trusted: writes in raw SQL move no version on.
KEEP_SECONDS = 60.0


def crm_data_version() -> int:
    return CRM_DATA.current()


def partners_version_or_none() -> int | None:
    """The partners version, or None when the shared cache cannot be reached (callers then
    read the database instead of trusting what they kept)."""
    try:
        return PARTNERS.current()
    except Exception:  # noqa: BLE001 - a read must not fail because of the cache
        log.warning("Could not read %s", PARTNERS.key, exc_info=True)
        return None


class KeptAtPartnersVersion:
    """A value read from the database and trusted while the partners version stays where it was
    read, for KEEP_SECONDS at most. Never kept from inside a transaction, whose writes may yet
    roll back, nor when the version cannot be read."""

    def __init__(self) -> None:
        self._kept: tuple[int, float, object] | None = None

    def get(self, version: int | None):
        """The kept value if it was read at `version` less than KEEP_SECONDS ago, else None."""
        kept = self._kept
        if kept and version is not None and kept[0] == version:
            if time.monotonic() - kept[1] < KEEP_SECONDS:
                return kept[2]
        return None

    def keep(self, version: int | None, value) -> None:
        trusted = version is not None and not connection.in_atomic_block
        self._kept = (version, time.monotonic(), value) if trusted else None

    def clear(self) -> None:
        self._kept = None


def bump_partners_version() -> None:
    PARTNERS.bump()


def bump_crm_data_version() -> None:
    CRM_DATA.bump()


def _bump_now_and_at_commit(bump, alias: str) -> None:
    bump()
    connection = transaction.get_connection(alias)
    if connection.in_atomic_block and not any(
        func is bump for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(bump, using=alias)


# Staff work no public page, public API or public search reads (tests/crm/test_data_version.py
# checks their sources never name them): writing one leaves every cached public page valid.
# Under the 50-user load a touchpoint logged from Slack every second otherwise emptied them all.
STAFF_ONLY_MODELS = frozenset(
    {
        "AgreementReminder",
        "AuditEntry",
        "DuplicateCandidate",
        "DuplicateScanRun",
        "ImportBatch",
        "MatcherModel",
        "MergeRecord",
        "Notification",
        "ReferralDisclosure",
        "SavedView",
        "StaffProfile",
        "Touchpoint",
    }
)


@cache_on_first_call
def _partner_senders() -> frozenset:
    """Partner and its link tables: the senders whose writes move the partners version on."""
    from crm.models import Partner

    links = (m2m.remote_field.through for m2m in Partner._meta.local_many_to_many)
    return frozenset((Partner, *links))


def crm_data_changed(sender=None, using: str | None = None, **kwargs) -> None:
    """Bump now, and once more when the transaction commits (the partners version too, for a
    write to partners or their links).

    The bump at commit is the one that matters across processes: until the commit another
    process may cache the old rows under the new version. The bump now keeps this transaction's
    own later reads (and tests, which never commit) from seeing the old pages.
    """
    if getattr(sender, "__name__", None) in STAFF_ONLY_MODELS:
        return
    alias = using or DEFAULT_DB_ALIAS
    _bump_now_and_at_commit(bump_crm_data_version, alias)
    if sender in _partner_senders():
        _bump_now_and_at_commit(bump_partners_version, alias)


def connect_signals() -> None:
    """Any write to a CRM model a public page reads, and any bulk write the domain reports on
    one, moves the version on."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from crm.signals import data_changed

    data_changed.connect(crm_data_changed, dispatch_uid="cms-v-bulk")
    for model in apps.get_app_config("crm").get_models():
        if model.__name__ in STAFF_ONLY_MODELS:
            continue
        post_save.connect(crm_data_changed, sender=model, dispatch_uid=f"cms-v-save-{model}")
        post_delete.connect(crm_data_changed, sender=model, dispatch_uid=f"cms-v-del-{model}")
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(
                crm_data_changed, sender=through, dispatch_uid=f"cms-v-m2m-{through}"
            )
