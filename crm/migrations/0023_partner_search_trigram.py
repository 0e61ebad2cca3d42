"""Trigram indexes for the admin's "contains" search over partner names, websites, EINs and
cities, on PostgreSQL only (pg_trgm; SQLite has no such index and scans its smaller tables)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# The expressions Django's icontains compiles to, so the planner can use the indexes.
COLUMNS = ("name", "website", "ein", "city")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS partner_{column}_trgm ON crm_partner "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    # Statistics on the indexed expressions let the planner estimate how many rows match.
    schema_editor.execute("ANALYZE crm_partner")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS partner_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("crm", "0022_partner_name_index")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
