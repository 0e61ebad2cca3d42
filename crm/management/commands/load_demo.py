"""`manage.py load_demo`: a deterministic, realistic demo on top of the reference data."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from crm.demo.plan import DEMO_SEED, DEMO_TODAY, SIZES, SchoolRef, build_plan
from crm.fiscal import fy_label
from crm.models import CommunitySchoolGrant, EquityFocusGroup, Partnership, School, ServiceCategory
from crm.services.demo import DemoError, demo_load, demo_loaded, demo_logins, demo_reset

SITE = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Load the demo partners, partnerships, CCSPP grants, events, referrals, funding and one "
        "login per role. Needs load_reference_data first. If the demo is already loaded it "
        "changes nothing (use --reset to rebuild it). Same seed, same data, every time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="full")
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo rows and logins (only those) and load the demo again",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            if options["reset"]:
                removed = demo_reset(actor=None, source="command")
                self.stdout.write(f"Removed the demo data: {removed}.")
            elif demo_loaded():
                self.stdout.write(
                    "The demo data is already loaded; nothing changed. "
                    "Run load_demo --reset to rebuild it."
                )
                self.print_logins()
                return
            schools = [
                SchoolRef(code, district, name, _float(lat), _float(lon))
                for code, district, name, lat, lon in School.objects.order_by(
                    "cds_code"
                ).values_list("cds_code", "district__cds_code", "name", "latitude", "longitude")
            ]
            if not schools:
                raise CommandError("There are no schools yet: run manage.py load_reference_data.")
            plan = build_plan(
                schools=schools,
                categories=list(ServiceCategory.objects.values_list("slug", flat=True)),
                focus_groups=list(EquityFocusGroup.objects.values_list("slug", flat=True)),
                size=options["size"],
                seed=options["seed"],
                today=DEMO_TODAY,
            )
            counts = demo_load(plan=plan, actor=None, source="command")
        except DemoError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Loaded: {counts}.")
        self.print_trends()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        self.print_logins()

    def print_trends(self):
        """The two strategic-plan goals as the demo shows them, counted in the database."""
        years = range(2020, 2027)
        strategic = Partnership.objects.filter(strategic=True).aggregate(
            **{
                str(fy): Count(
                    "id", filter=Q(start_fy__lte=fy) & (Q(end_fy__isnull=True) | Q(end_fy__gte=fy))
                )
                for fy in years
            }
        )
        funded = CommunitySchoolGrant.objects.exclude(status="withdrawn").aggregate(
            **{
                str(fy): Count("school", distinct=True, filter=Q(start_fy__lte=fy, end_fy__gte=fy))
                for fy in years
            }
        )
        self.stdout.write("FY        strategic partnerships   CCSPP-funded schools")
        for fy in years:
            self.stdout.write(f"{fy_label(fy):<9} {strategic[str(fy)]:>22} {funded[str(fy)]:>22}")

    def print_logins(self):
        self.stdout.write(f"\nSite: {SITE}   Admin: {SITE}admin/\n")
        self.stdout.write(f"{'login':<8} {'password':<16} role")
        for username, role, password in demo_logins():
            self.stdout.write(f"{username:<8} {password:<16} {role}")


def _float(value):
    return None if value is None else float(value)
