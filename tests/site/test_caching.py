"""The CRM data version: moved on by model writes and by the domain's bulk writes, at commit."""

from __future__ import annotations

from django.db import transaction

from cms.caching import cached
from crm.data_version import bump_crm_data_version, crm_data_version
from crm.models import Partner
from crm.services.merge import partner_merge
from crm.signals import bulk_write_done
from tests.factories import make_partner


def test_bulk_write_moves_the_version_on(db):
    before = crm_data_version()
    bulk_write_done(Partner)
    assert crm_data_version() > before


def test_a_transaction_bumps_again_once_when_it_commits(db, django_capture_on_commit_callbacks):
    before = crm_data_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            make_partner("Harbor Food Pantry")
            make_partner("Valley Tutoring")
            Partner.objects.update(phone="555-0100")
            bulk_write_done(Partner)
    # Each write bumped at once; one more bump waits for the commit, however many writes.
    assert crm_data_version() >= before + 3
    bumps = [c for c in callbacks if c is bump_crm_data_version]
    assert len(bumps) == 1
    at_write = crm_data_version()
    bumps[0]()
    assert crm_data_version() == at_write + 1


def test_a_cached_value_is_recomputed_after_a_merge(world):
    survivor = make_partner("Harbor Food Pantry")
    loser = make_partner("Harbor Food Pantry Inc")
    calls = []

    def compute():
        calls.append(1)
        return Partner.objects.filter(merged_into__isnull=True).count()

    assert cached("test", "live", compute) == 2
    assert cached("test", "live", compute) == 2
    partner_merge(survivor=survivor, loser=loser, field_choices={}, actor=world.ana, source="admin")
    assert cached("test", "live", compute) == 1
    assert len(calls) == 2


def test_an_unreachable_cache_serves_the_value_uncached(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    assert cached("test", "down", lambda: 42) == 42
    bulk_write_done(Partner)  # logged, not raised
