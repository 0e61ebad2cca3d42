"""Stored links accept only http(s) web addresses; existing other values are cleared and logged."""

import logging

from django.db import migrations, models

import crm.weblinks

log = logging.getLogger("crm.migrations")

LINK_FIELDS = (
    ("Partner", "website"),
    ("School", "website"),
    ("District", "website"),
    ("Touchpoint", "slack_permalink"),
)


def clear_unsafe_links(apps, schema_editor):
    """Clear every stored link that is not an http(s) web address: a log line and an audit entry
    (channel "system") each, holding the old value, so nothing disappears unrecorded."""
    AuditEntry = apps.get_model("crm", "AuditEntry")
    for model_name, field in LINK_FIELDS:
        model = apps.get_model("crm", model_name)
        rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
        bad = [(pk, value) for pk, value in rows.iterator() if crm.weblinks.web_url_problem(value)]
        for pk, value in bad:
            log.warning("Cleared the unsafe %s.%s of #%s: %r", model_name, field, pk, value)
        model.objects.filter(pk__in=[pk for pk, _ in bad]).update(**{field: ""})
        AuditEntry.objects.bulk_create(
            AuditEntry(
                channel="system",
                action="link.clear_unsafe",
                model=model_name.lower(),
                object_id=str(pk),
                object_repr=f"{model_name} #{pk}"[:255],
                changes={field: [value, ""]},
            )
            for pk, value in bad
        )


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0010_duplicate_scan_run'),
    ]

    operations = [
        migrations.RunPython(clear_unsafe_links, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='district',
            name='website',
            field=models.CharField(blank=True, max_length=200, validators=[crm.weblinks.validate_web_url], verbose_name='website'),
        ),
        migrations.AlterField(
            model_name='partner',
            name='website',
            field=models.CharField(blank=True, max_length=255, validators=[crm.weblinks.validate_web_url], verbose_name='website'),
        ),
        migrations.AlterField(
            model_name='school',
            name='website',
            field=models.CharField(blank=True, max_length=200, validators=[crm.weblinks.validate_web_url], verbose_name='website'),
        ),
        migrations.AlterField(
            model_name='touchpoint',
            name='slack_permalink',
            field=models.URLField(blank=True, max_length=500, validators=[crm.weblinks.validate_web_url], verbose_name='Slack message'),
        ),
    ]
