"""Indexes for the public directory: published partners by id (counted and probed from the
index alone), and each partner link table by (choice, partner), which the filter choices probe
once per school, district, service and focus group."""

from django.db import migrations, models

LINKS = (
    ("crm_partner_schools_served", "school_id"),
    ("crm_partner_districts_served", "district_id"),
    ("crm_partner_service_categories", "servicecategory_id"),
    ("crm_partner_equity_focus_groups", "equityfocusgroup_id"),
)


class Migration(migrations.Migration):
    dependencies = [("crm", "0023_partner_search_trigram")]

    operations = [
        migrations.AddIndex(
            model_name="partner",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True), ("published", True)),
                fields=["id", "published", "merged_into"],
                include=["updated_at"],
                name="partner_published_idx",
            ),
        ),
        # Link tables Django creates for many-to-many fields take no Meta.indexes.
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {table}_choice_idx ON {table} ({column}, partner_id)",
                f"DROP INDEX IF EXISTS {table}_choice_idx",
            )
            for table, column in LINKS
        ),
    ]
