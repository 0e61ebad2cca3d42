"""Benchmark the API's main list endpoints at 100k partners: p50/p99 per endpoint, with a token.

Run `.venv/bin/python bench/bench_api.py` (a few minutes: it builds a throwaway test database;
with DATABASE_URL, on PostgreSQL). `BENCH_PARTNERS` sets the size (default 100000),
`BENCH_REQUESTS` the requests per endpoint (default 100). Prints figures only.
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

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

PARTNERS = int(os.environ.get("BENCH_PARTNERS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
CHUNK = 5000


def seed() -> dict:
    from crm.models import Event, EventPartner, Partner, Partnership, ServiceCategory
    from tests.factories import make_district, make_school

    started = time.perf_counter()
    rng = random.Random(7)
    categories = [
        ServiceCategory.objects.create(slug=f"c{i}", name=f"Category {i}") for i in range(8)
    ]
    district = make_district(name="Bench Unified")
    schools = [make_school(district=district, name=f"Bench School {i}") for i in range(40)]
    for start in range(0, PARTNERS, CHUNK):
        made = Partner.objects.bulk_create(
            Partner(name=f"Organization {n}", slug=f"org-{n}", aliases=[f"Org {n}"])
            for n in range(start, min(start + CHUNK, PARTNERS))
        )
        cats = Partner.service_categories.through
        cats.objects.bulk_create(
            cats(partner_id=p.pk, servicecategory_id=categories[p.pk % 8].pk) for p in made
        )
        served = Partner.schools_served.through
        served.objects.bulk_create(
            served(partner_id=p.pk, school_id=schools[p.pk % 40].pk) for p in made
        )
        Partnership.objects.bulk_create(
            Partnership(
                partner_id=p.pk,
                start_date=dt.date(2019 + p.pk % 7, 9, 1),
                start_fy=2020 + p.pk % 7,
                strategic=p.pk % 5 == 0,
            )
            for p in made
            if p.pk % 2 == 0
        )
    partner_ids = list(Partner.objects.values_list("pk", flat=True))
    for start in range(0, PARTNERS // 2, CHUNK):
        events = Event.objects.bulk_create(
            Event(
                school=schools[n % 40],
                kind="workshop",
                date=(day := dt.date(2023, 7, 1) + dt.timedelta(days=n % 1000)),
                fiscal_year=day.year + 1 if day.month >= 7 else day.year,
                participants=n % 90,
            )
            for n in range(start, min(start + CHUNK, PARTNERS // 2))
        )
        EventPartner.objects.bulk_create(
            EventPartner(event_id=e.pk, partner_id=rng.choice(partner_ids)) for e in events
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {PARTNERS:,} partners in {time.perf_counter() - started:.0f} s")
    return {"school": schools[3].pk, "district": district.pk, "district_cds": district.cds_code}


def measure(client: Client, headers: dict, path: str, requests: int) -> tuple[float, float]:
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.content[:200])
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from crm.roles import ADMINISTRATORS
        from tests.api.conftest import token_for
        from tests.factories import make_user

        ids = seed()
        headers = {"Authorization": f"Bearer {token_for(make_user('bench', role=ADMINISTRATORS))}"}
        client = Client()
        second = client.get("/api/v1/partners/", headers=headers).json()["next"]
        paths = {
            "partners (first page of 100)": "/api/v1/partners/",
            "partners (next page, cursor)": second,
            "partners ?category=c3&school=…": (
                f"/api/v1/partners/?category=c3&school={ids['school']}"
            ),
            "partners ?updated_since=…": "/api/v1/partners/?updated_since=2020-01-01T00:00:00Z",
            "partnerships ?fiscal_year=2025": "/api/v1/partnerships/?fiscal_year=2025",
            "events ?fiscal_year=2025": "/api/v1/events/?fiscal_year=2025",
            "events ?district=…": f"/api/v1/events/?district={ids['district']}",
            "schools": "/api/v1/schools/",
            "progress pack ?district=… (40 schools)": (
                f"/api/v1/reports/packs/?district={ids['district_cds']}&fiscal_year=2024-25"
            ),
        }
        print(f"{connection.vendor}, {PARTNERS:,} partners, {REQUESTS} requests each", flush=True)
        print(f"{'endpoint':<40} {'p50 ms':>8} {'p99 ms':>8}")
        with override_settings(API_RATE_LIMIT="100000/min"):
            for label, path in paths.items():
                # A district pack lists every partner serving its 40 schools (all 100k here):
                # a heavy answer, timed with fewer requests.
                requests = min(REQUESTS, 20) if "pack" in label else REQUESTS
                cache.clear()
                measure(client, headers, path, 1)
                p50, p99 = measure(client, headers, path, requests)
                print(f"{label:<40} {p50:>8.1f} {p99:>8.1f}  ({requests} requests)", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
