"""Create the public page tree once: Home with the partner directory, community schools and
About pages, as the default site's root, replacing Wagtail's welcome page. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.setup import setup_site


class Command(BaseCommand):
    help = "Create the public page tree (Home, Partners, Community schools, About) if missing."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = setup_site()
        if created:
            self.stdout.write(self.style.SUCCESS("Created: " + ", ".join(created)))
        else:
            self.stdout.write("The public page tree is already in place.")
