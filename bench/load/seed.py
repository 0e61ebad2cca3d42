"""Seed a load-test database: N published partners, M events, schools, and staff logins linked to
Slack ids. Bulk inserts (a fixture, not a face). Run with DATABASE_URL set; prints timings."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django

django.setup()

from django.core.management import call_command

SEED = 2025
BATCH = 5000
STAFF = [
    ("load-pat", "Partnership staff", "U0LOADPAT"),
    ("load-ana", "Administrators", "U0LOADANA"),
]
PASSWORD = "load-test-password"


def seed(*, partners: int, events: int) -> dict:
    from crm.models import District, Event, Partner, School
    from crm.roles import ensure_roles

    rng = random.Random(SEED)
    call_command("setup_site", verbosity=0)
    ensure_roles()
    districts = District.objects.bulk_create(
        District(cds_code=f"18{i:05d}", name=f"Load District {i:02d}") for i in range(40)
    )
    schools = School.objects.bulk_create(
        School(
            cds_code=f"18{i % 40:05d}{i:07d}",
            district=districts[i % 40],
            name=f"Load School {i:04d}",
            slug=f"load-school-{i:04d}",
            city="Los Angeles",
        )
        for i in range(800)
    )
    words = "Youth Family Community Health Arts Food Housing Literacy Music STEM Sports".split()
    started = time.perf_counter()
    for start in range(0, partners, BATCH):
        Partner.objects.bulk_create(
            Partner(
                name=f"{rng.choice(words)} {rng.choice(words)} Alliance {i:06d}",
                slug=f"load-partner-{i:06d}",
                published=True,
                city="Los Angeles",
                description="A community partner serving students and families.",
            )
            for i in range(start, min(start + BATCH, partners))
        )
    partner_s = time.perf_counter() - started
    started = time.perf_counter()
    school_ids = [s.pk for s in schools]
    for start in range(0, events, BATCH * 4):
        Event.objects.bulk_create(
            (
                Event(
                    school_id=rng.choice(school_ids),
                    kind="workshop",
                    date=dt.date(2024, 10, 1),
                    participants=rng.randint(5, 80),
                    fiscal_year=2025,
                )
                for _ in range(start, min(start + BATCH * 4, events))
            ),
            batch_size=BATCH,
        )
    event_s = time.perf_counter() - started
    staff()
    return {"partner_s": partner_s, "event_s": event_s}


def staff() -> None:
    """The logins the load test's staff and Slack users act as."""
    from django.contrib.auth.models import Group, User

    from crm.models import StaffProfile
    from crm.roles import ensure_roles

    ensure_roles()
    for username, role, slack_id in STAFF:
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.update_or_create(user=user, defaults={"slack_user_id": slack_id})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--staff-only", action="store_true", help="only the staff logins")
    args = parser.parse_args()
    if args.staff_only:
        staff()
        return
    from crm.models import Event, Partner

    have = (Partner.objects.count(), Event.objects.count())
    if have >= (args.partners, args.events):
        print(f"Already seeded: {have[0]:,} partners and {have[1]:,} events; nothing to do")
        staff()
        return
    if any(have):
        raise SystemExit(
            f"The database holds {have[0]:,} partners and {have[1]:,} events, fewer than asked: "
            "seed an empty database (drop and create it)."
        )
    figures = seed(partners=args.partners, events=args.events)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Seeded {args.partners:,} partners in {figures['partner_s']:.1f} s and "
        f"{args.events:,} events in {figures['event_s']:.1f} s"
    )


if __name__ == "__main__":
    main()
