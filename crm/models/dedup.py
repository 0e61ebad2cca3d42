"""The duplicate review queue and the merge records that make a merge undoable."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from crm.models.choices import CandidateStatus, DuplicateLevel
from crm.models.partners import Partner


class DuplicateCandidate(models.Model):
    """A pair the matcher flagged; left is always the lower id so a pair is stored once."""

    left = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    level = models.CharField(max_length=10, choices=DuplicateLevel.choices, db_index=True)
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.OPEN, db_index=True
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The lowest partner id of the cluster this open pair belongs to (set by a queue refresh);
    # empty when the pair joins records that the chaining guard keeps apart.
    cluster_key = models.PositiveIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(left__lt=F("right")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.left} ↔ {self.right} ({self.score:.0f})"


class MergeRecord(models.Model):
    """What a merge moved and overwrote, so it can be undone exactly."""

    survivor = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="merges_received")
    loser = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="merges_given")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.loser} → {self.survivor} on {self.merged_at:%Y-%m-%d}"


class DuplicateScanRun(models.Model):
    """One refresh of the review queue started from the admin, run on the background queue."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(s, s.capitalize()) for s in (QUEUED, RUNNING, DONE, FAILED)]

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Queue refresh {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
