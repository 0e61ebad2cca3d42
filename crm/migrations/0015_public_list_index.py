# The public directory's partial index also holds the columns of its condition, so SQLite
# counts published partners from the index alone.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0014_matcher_model"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="partner",
            name="partner_public_name_idx",
        ),
        migrations.AddIndex(
            model_name="partner",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True), ("published", True)),
                fields=["name", "id", "published", "merged_into"],
                name="partner_public_list_idx",
            ),
        ),
    ]
