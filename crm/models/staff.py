"""Staff accounts' CRM side: Slack identity, assigned schools, private phone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.schools import School


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    slack_user_id = models.CharField(
        _("Slack user id"), max_length=32, unique=True, null=True, blank=True
    )
    slack_team_id = models.CharField(_("Slack workspace id"), max_length=32, blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)
    schools = models.ManyToManyField(
        School, blank=True, related_name="coordinators", verbose_name=_("assigned schools")
    )
    wants_digest = models.BooleanField(_("daily follow-up digest"), default=True)

    class Meta:
        verbose_name = _("staff profile")

    def __str__(self) -> str:
        return f"Profile of {self.user}"
