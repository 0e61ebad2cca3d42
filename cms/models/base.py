"""What every public page shares: Spanish title and introduction, GET-only serving, the editable
navigation and footer setting, and reading a visitor's filter values safely."""

from __future__ import annotations

from django.db import models
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.language import pick
from cms.models.blocks import LinkBlock
from cms.site_urls import sitemap_entries

FILTER_MAX = 120


def request_param(request, name: str) -> str:
    """A filter value from the query string, whitespace collapsed, at most FILTER_MAX long."""
    return " ".join(request.GET.get(name, "").split())[:FILTER_MAX]


def request_page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 else 1


@register_setting(icon="list-ul")
class SiteChrome(BaseSiteSetting):
    """Navigation and footer, editable in the admin under Settings."""

    nav_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("navigation links"),
        help_text=_("Left empty, the navigation lists the home page's children shown in menus."),
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    footer_text_es = models.TextField(_("footer text (Spanish)"), blank=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("footer links"))

    panels = [
        FieldPanel("nav_links"),
        MultiFieldPanel(
            [FieldPanel("footer_text"), FieldPanel("footer_text_es"), FieldPanel("footer_links")],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("navigation and footer")


class ReadOnlyServeMixin:
    """Public pages only answer GET and HEAD; nothing on them accepts a submission."""

    def serve(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().serve(request, *args, **kwargs)


class PublicPage(Page):
    """Fields every public page shares: a Spanish title and a short introduction."""

    title_es = models.CharField(_("title (Spanish)"), max_length=255, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_es"),
        FieldPanel("intro"),
        FieldPanel("intro_es"),
    ]

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return pick(self.title, self.title_es)

    def get_sitemap_urls(self, request=None):
        return sitemap_entries(
            request, self.get_url(request), lastmod=self.last_published_at or None
        )

    @property
    def display_intro(self) -> str:
        return pick(self.intro, self.intro_es)
