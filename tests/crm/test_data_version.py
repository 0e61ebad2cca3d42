"""The data versions: every CRM write a public page reads moves the CRM version on (staff-only
work does not); only writes to partners and their links move the partners version, which the
search indexes' stamps are kept on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.data_version import STAFF_ONLY_MODELS, crm_data_version, partners_version_or_none
from crm.models import Partner, ServiceCategory
from crm.selectors import matcher_index
from crm.selectors.public import search
from crm.signals import bulk_write_done
from tests.factories import (
    make_duplicate_candidate,
    make_event,
    make_partner,
    make_school,
    make_touchpoint,
    make_user,
)

ROOT = Path(__file__).resolve().parents[2]


def test_an_event_moves_the_crm_version_but_not_the_partners(db):
    school = make_school()
    crm, partners = crm_data_version(), partners_version_or_none()
    make_event(school)
    assert crm_data_version() > crm
    assert partners_version_or_none() == partners


@pytest.mark.parametrize(
    "write",
    [
        lambda p, other: make_touchpoint(p),
        lambda p, other: make_duplicate_candidate(p, other),
        lambda p, other: make_user("pat"),
    ],
    ids=["touchpoint", "duplicate candidate", "staff login and profile"],
)
def test_staff_only_work_leaves_the_public_pages_cached(db, write):
    partner, other = make_partner("Harbor Food Bank"), make_partner("Harbour Food Bank")
    before = crm_data_version()
    write(partner, other)
    assert crm_data_version() == before


def test_no_public_code_reads_a_staff_only_model():
    public = [
        *(ROOT / "cms").rglob("*.py"),
        *(ROOT / "cms").rglob("*.html"),
        *(ROOT / "crm/selectors/public").rglob("*.py"),
        # What the public pages import from outside crm/selectors/public.
        *(
            ROOT / "crm/selectors" / f"{name}.py"
            for name in (
                "compiled",
                "figures",
                "hsds",
                "matcher_index",
                "need_index",
                "need_search",
                "partners",
                "process_cache",
                "service_details",
            )
        ),
    ]
    for path in public:
        text = path.read_text()
        named = sorted(m for m in STAFF_ONLY_MODELS if re.search(rf"\b{m}\b", text))
        assert not named, (
            f"{path.relative_to(ROOT)} reads {named}: drop them from STAFF_ONLY_MODELS"
        )


@pytest.mark.parametrize(
    "write",
    [
        lambda p: (
            Partner.objects.filter(pk=p.pk).update(name="Harbor Pantry"),
            bulk_write_done(Partner),
        ),
        lambda p: p.service_categories.add(ServiceCategory.objects.create(slug="x", name="X")),
        lambda p: make_partner("Eastside Family Resource Center"),
        lambda p: p.delete(),
    ],
    ids=["bulk update", "link added", "created", "deleted"],
)
def test_writes_to_partners_and_their_links_move_the_partners_version(db, write):
    partner = make_partner("Harbor Food Bank")
    before = partners_version_or_none()
    write(partner)
    assert partners_version_or_none() > before


def test_an_unreachable_cache_reads_as_no_version(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    assert partners_version_or_none() is None


@pytest.mark.django_db(transaction=True)
def test_the_published_stamp_is_read_again_only_when_partners_change(django_assert_num_queries):
    partner = make_partner("Harbor Food Bank", published=True)
    search.public_partner_index_clear()
    assert not connection.in_atomic_block
    first = search.published_stamp()
    with django_assert_num_queries(0):
        assert search.published_stamp() == first
    make_touchpoint(partner)
    with django_assert_num_queries(0):
        search.published_stamp()
    make_partner("Eastside Family Resource Center", published=True)
    with django_assert_num_queries(1):
        assert search.published_stamp() != first


def test_a_stamp_read_inside_a_transaction_is_not_kept(db, django_assert_num_queries):
    make_partner("Harbor Food Bank", published=True)
    search.public_partner_index_clear()
    assert connection.in_atomic_block
    search.published_stamp()
    with django_assert_num_queries(1):
        search.published_stamp()


def _counted(captured) -> bool:
    return any("COUNT(" in q["sql"] for q in captured)


@pytest.mark.django_db(transaction=True)
def test_the_matcher_index_counts_partners_again_only_when_they_change():
    partner = make_partner("Harbor Food Bank")
    matcher_index.partner_index_clear()
    index = matcher_index.partner_index()
    matcher_index.partner_index()
    with CaptureQueriesContext(connection) as captured:
        assert matcher_index.partner_index() is index
    assert not _counted(captured)
    make_touchpoint(partner)
    with CaptureQueriesContext(connection) as captured:
        matcher_index.partner_index()
    assert not _counted(captured)
    make_partner("Eastside Family Resource Center")
    with CaptureQueriesContext(connection) as captured:
        names = {record.name for record in matcher_index.partner_index()}
    assert _counted(captured)
    assert names == {"Harbor Food Bank", "Eastside Family Resource Center"}


def test_a_version_lost_with_the_cache_starts_again_above_every_number_used(db):
    from django.core.cache import cache

    before = partners_version_or_none()
    make_partner("Harbor Food Bank")
    cache.clear()
    assert partners_version_or_none() > before + 1
