"""What staff see of background work (one row per task run), and the keys that make a job
run at most once however often it is enqueued."""

from django.db import models


class TaskStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (already done)"


class TaskRun(models.Model):
    """One enqueued run of a task, kept up to date by the task framework's signals."""

    id = models.CharField(primary_key=True, max_length=64)  # the task result's id
    task_name = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default="queued")
    attempt = models.PositiveSmallIntegerField(default=1)
    key = models.CharField(max_length=200, blank=True, db_index=True)
    error = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    enqueued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enqueued_at"]
        verbose_name = "background task"

    def __str__(self) -> str:
        return f"{self.task_name} ({self.status})"


class TaskClaim(models.Model):
    """A job key (e.g. "digest:2026-11-30"): created when first enqueued, done when it succeeded."""

    key = models.CharField(primary_key=True, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
