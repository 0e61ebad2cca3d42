"""Versioned parameters of the duplicate matcher's probabilistic model (see crm.dedup.model)."""

from django.conf import settings
from django.db import models


class MatcherModel(models.Model):
    """One estimate of the model; the highest version is the one the matcher uses."""

    version = models.PositiveIntegerField(unique=True)
    params = models.JSONField(help_text="crm.dedup.model.MatchModel.to_dict()")
    trained_at = models.DateTimeField()
    record_count = models.PositiveIntegerField(help_text="live partners it was estimated on")
    decision_count = models.PositiveIntegerField(
        default=0, help_text="staff decisions (merges, 'not a duplicate') it learned from"
    )
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        get_latest_by = "version"

    def __str__(self) -> str:
        return f"matcher model v{self.version} ({self.record_count} records)"
