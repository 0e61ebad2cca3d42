"""The audit trail: every write a service makes, with who, when, what and through which face."""

from django.conf import settings
from django.db import models

from crm.localtime import local_stamp
from crm.models.choices import Channel


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    action = models.CharField(max_length=60, db_index=True)
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, db_index=True)
    object_repr = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{local_stamp(self.at)} {self.action} {self.object_repr} via {self.channel}"
