"""Create or refresh the four role groups and their permissions (safe to run any time)."""

from django.core.management.base import BaseCommand

from crm.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or refresh the staff role groups (idempotent)."

    def handle(self, *args, **options):
        for role, count in ensure_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
