"""An uploaded import waiting for its preview to be confirmed; it belongs to the uploader."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    PREVIEW = "preview"
    QUEUED = "queued"
    RUNNING = "running"
    APPLIED = "applied"
    FAILED = "failed"
    STATUSES = [
        (PREVIEW, _("Waiting for confirmation")),
        (QUEUED, _("Queued for the background worker")),
        (RUNNING, _("Being imported")),
        (APPLIED, _("Applied")),
        (FAILED, _("Failed")),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    kind = models.CharField(_("kind"), max_length=20)
    filename = models.CharField(_("original file name"), max_length=255)
    rows = models.JSONField(_("parsed rows"), default=list)
    preview = models.JSONField(_("preview"), default=dict)
    decisions = models.JSONField(_("duplicate decisions"), default=dict)
    strict = models.BooleanField(_("strict"), default=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=PREVIEW, db_index=True)
    result = models.JSONField(default=dict, blank=True)
    # What a background import is doing now ("Writing 12,000 rows."), for the page to show.
    progress = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.kind} import of {self.filename} by {self.user}"
