"""A person's saved views: a named set of filters, search and ordering on one admin list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    # Which list it belongs to: a key of crm.selectors.saved_views.LIST_PARAMS.
    list_key = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    # Validated against the list's known parameters and stored re-encoded (never as typed).
    query = models.CharField(_("query string"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key", "name"], name="saved_view_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
