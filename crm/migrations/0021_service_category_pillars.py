from django.db import migrations, models

# The default pillars of the seeded service categories, as of this migration (a copy: the live
# table is SERVICE_CATEGORY_PILLARS in crm/services/reference.py, which may change later).
SUPPORTS, FAMILY, EXTENDED = "integrated_supports", "family_engagement", "extended_learning"
DEFAULT_PILLARS = {
    "health": (SUPPORTS,),
    "mental-health": (SUPPORTS,),
    "food-security": (SUPPORTS,),
    "housing": (SUPPORTS,),
    "legal": (SUPPORTS,),
    "basic-needs": (SUPPORTS,),
    "digital-access": (SUPPORTS,),
    "family-engagement": (FAMILY,),
    "adult-education": (FAMILY,),
    "early-childhood": (FAMILY, SUPPORTS),
    "academic-support": (EXTENDED,),
    "arts": (EXTENDED,),
    "youth-development": (EXTENDED,),
    "sports-recreation": (EXTENDED,),
    "college-access": (EXTENDED,),
    "workforce": (EXTENDED,),
}


def _default_links(apps):
    ServiceCategory = apps.get_model("crm", "ServiceCategory")
    Pillar = apps.get_model("crm", "Pillar")
    pillars = dict(Pillar.objects.values_list("code", "pk"))
    categories = dict(
        ServiceCategory.objects.filter(slug__in=DEFAULT_PILLARS).values_list("slug", "pk")
    )
    return ServiceCategory.pillars.through, [
        (category_id, pillars[code])
        for slug, category_id in categories.items()
        for code in DEFAULT_PILLARS[slug]
        if code in pillars
    ]


def tag_seeded_categories(apps, schema_editor):
    through, links = _default_links(apps)
    through.objects.bulk_create(
        [through(servicecategory_id=c, pillar_id=p) for c, p in links], ignore_conflicts=True
    )


def untag_seeded_categories(apps, schema_editor):
    through, links = _default_links(apps)
    for category_id, pillar_id in links:
        through.objects.filter(servicecategory_id=category_id, pillar_id=pillar_id).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0020_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicecategory",
            name="pillars",
            field=models.ManyToManyField(
                blank=True,
                help_text="Progress packs count referrals for this service under these pillars.",
                related_name="service_categories",
                to="crm.pillar",
                verbose_name="CCSPP pillars",
            ),
        ),
        migrations.RunPython(tag_seeded_categories, untag_seeded_categories),
    ]
