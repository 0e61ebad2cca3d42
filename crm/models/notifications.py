"""In-app notifications: something was assigned to a person, or arrived on their school's
referral. The text is rendered at read time from the target, so nothing stored goes stale."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationVerb(models.TextChoices):
    PARTNERSHIP_LEAD = "partnership_lead", _("You now lead a partnership")
    FOLLOW_UP_ASSIGNED = "follow_up_assigned", _("A follow-up was assigned to you")
    REFERRAL_NEW = "referral_new", _("New referral at your school")
    REFERRAL_PARTNER_UPDATE = "referral_partner_update", _("A partner updated a referral")
    AGREEMENT_EXPIRING = "agreement_expiring", _("An agreement you lead expires soon")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(_("what"), max_length=30, choices=NotificationVerb.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Small facts that belong to the moment (a status, a number of days), never free text.
    detail = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} (#{self.target_id})"
