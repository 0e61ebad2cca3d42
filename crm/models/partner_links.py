"""Signed, expiring links that let the partner who received a referral report what happened,
without an account. Only a hash of the link's secret is stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models.partners import Contact
from crm.models.referrals import Referral


class ReferralPartnerLink(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="partner_links")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner referral link")

    def __str__(self) -> str:
        return f"Partner link #{self.pk} for referral #{self.referral_id}"
