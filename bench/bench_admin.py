"""Benchmark the admin partner listing and its CSV/XLSX export: time and queries by row count.

Run `.venv/bin/python bench/bench_admin.py` (about a minute: it builds a throwaway test database);
prints figures only.
"""

from __future__ import annotations

import os
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

SIZES = (100, 1000, 3000)
RUNS = 3


def _timed(client: Client, url: str, params: dict) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, params)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from crm.models import EquityFocusGroup, Partner, ServiceCategory
        from tests.factories import make_user

        user = make_user("bench", superuser=True)
        categories = [
            ServiceCategory.objects.create(slug=f"c{i}", name=f"Category {i}") for i in range(8)
        ]
        groups = [
            EquityFocusGroup.objects.create(slug=f"g{i}", name=f"Group {i}") for i in range(5)
        ]
        client = Client()
        client.force_login(user)
        url = reverse("crm_partner:index")
        columns = ("partners", "list ms", "q", "csv ms", "q", "xlsx ms", "q")
        print(" ".join(f"{c:>{3 if c == 'q' else 8}}" for c in columns))
        made = 0
        for size in SIZES:
            # Bench rows are bulk-inserted: the service's per-row duplicate check is not measured.
            new = Partner.objects.bulk_create(
                Partner(name=f'=Organization "{n}"', slug=f"org-{n}", phone="+1 (213) 555-0100")
                for n in range(made, size)
            )
            through = Partner.service_categories.through
            through.objects.bulk_create(
                through(partner_id=p.pk, servicecategory_id=categories[p.pk % 8].pk) for p in new
            )
            focus = Partner.equity_focus_groups.through
            focus.objects.bulk_create(
                focus(partner_id=p.pk, equityfocusgroup_id=groups[p.pk % 5].pk) for p in new
            )
            made = size
            listing = _timed(client, url, {})
            csv = _timed(client, url, {"export": "csv"})
            xlsx = _timed(client, url, {"export": "xlsx"})
            print(
                f"{size:>9} {listing[0]:>8.0f} {listing[1]:>3} {csv[0]:>8.0f} {csv[1]:>3}"
                f" {xlsx[0]:>8.0f} {xlsx[1]:>3}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
