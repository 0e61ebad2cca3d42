"""The bot's own bookkeeping: Slack requests already handled, and forms waiting on a choice."""

from django.db import models


class ProcessedRequest(models.Model):
    """One write-bearing Slack request, keyed so that retries and double clicks write once."""

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=40)
    slack_user_id = models.CharField(max_length=32, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "processed Slack request"

    def __str__(self) -> str:
        return self.key


class PendingForm(models.Model):
    """A submitted modal held while its author answers the "Did you mean …?" prompt."""

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=40)
    slack_user_id = models.CharField(max_length=32)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pending Slack form"

    def __str__(self) -> str:
        return f"{self.kind} {self.token}"
