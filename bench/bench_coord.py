"""Benchmark the coordinator's phone path: the My schools page, recording one event, the referral
queue and a scoped referral export, on a district-sized data set in a throwaway SQLite database.

Run `.venv/bin/python bench/bench_coord.py` (one to two minutes); prints figures only.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

SEED = 1729
SCHOOLS, PARTNERS, EVENTS, REFERRALS = 40, 200, 2000, 1500
RUNS = 15


def build(rng: random.Random):
    from crm.models import EventKind, NeedCategory
    from crm.roles import SITE_COORDINATORS
    from tests.factories import (
        make_district,
        make_event,
        make_partner,
        make_referral,
        make_school,
        make_user,
    )

    district = make_district(name="Bench Unified")
    schools = [make_school(district=district, name=f"Bench School {i}") for i in range(SCHOOLS)]
    partners = [make_partner(f"Bench Partner Organization {i}") for i in range(PARTNERS)]
    start = dt.date(2023, 7, 1)
    for _ in range(EVENTS):
        make_event(
            rng.choice(schools),
            kind=rng.choice(list(EventKind)).value,
            date=start + dt.timedelta(days=rng.randrange(700)),
            participants=rng.randrange(200),
            partners=rng.sample(partners, rng.randrange(3)),
        )
    for _ in range(REFERRALS):
        day = start + dt.timedelta(days=rng.randrange(700))
        make_referral(
            rng.choice(schools),
            rng.choice(partners),
            need_category=rng.choice(list(NeedCategory)).value,
            referred_on=day,
            follow_up_on=day + dt.timedelta(days=14),
        )
    coordinator = make_user("bench-cora", role=SITE_COORDINATORS, schools=schools[:2])
    return coordinator, schools[0], partners


def timed(fn) -> tuple[float, int]:
    """Median milliseconds over RUNS, and the query count of one run."""
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as captured:
        fn()
    return statistics.median(times), len(captured)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        rng = random.Random(SEED)
        t0 = time.perf_counter()
        coordinator, school, partners = build(rng)
        print(
            f"data: {SCHOOLS} schools, {PARTNERS} partners, {EVENTS} events, "
            f"{REFERRALS} referrals built in {time.perf_counter() - t0:.1f}s"
        )
        from crm.selectors.coordination import referral_queue

        client = Client()
        client.force_login(coordinator)
        page = reverse("my_schools:index")

        def get_page():
            assert client.get(page).status_code == 200

        counter = iter(range(10**6))

        def record_event():
            response = client.post(
                page,
                {
                    "action": "record",
                    "school": school.pk,
                    "date": "2025-03-01",
                    "kind": "workshop",
                    "participants": next(counter),
                    "items_distributed": 0,
                    "partners": [partners[0].pk, partners[1].pk],
                },
            )
            assert response.status_code == 302

        def suggest():
            url = reverse("my_schools:partners")
            assert client.get(url, {"q": "bench partner 12"}).status_code == 200

        def queue():
            list(referral_queue(coordinator, today=dt.date(2025, 6, 1))[:25])

        def export():
            response = client.get(reverse("referral:index"), {"export": "csv"})
            b"".join(response.streaming_content)

        for label, fn in [
            ("My schools page GET", get_page),
            ("record an event (POST + redirect)", record_event),
            ("partner typeahead JSON", suggest),
            ("referral queue selector (25 rows)", queue),
            ("scoped referral CSV export", export),
        ]:
            ms, queries = timed(fn)
            print(f"{label:38s} median {ms:7.1f} ms  {queries:3d} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
