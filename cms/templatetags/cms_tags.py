"""Template helpers for the public site: navigation, language links, suppressed counts."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.models import SiteChrome, pick

register = template.Library()


@register.filter
def public_number(count) -> str:
    """A PublicCount as text: the number, or "fewer than 11" when it is suppressed."""
    if count is None or getattr(count, "value", None) is None:
        return _("fewer than 11")
    return number_format(count.value, force_grouping=True)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The same page in every language the site speaks, for the language switch."""
    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def _link(request, block) -> dict | None:
    value = block.value
    page = value.get("page")
    url = page.get_url(request) if page is not None and page.live else value.get("url")
    if not url:
        return None
    return {"label": pick(value.get("label", ""), value.get("label_es", "")), "url": url}


@register.simple_tag(takes_context=True)
def site_chrome(context) -> dict:
    """Navigation and footer from the admin setting; the home page's menu children by default."""
    request = context["request"]
    site = Site.find_for_request(request)
    chrome = SiteChrome.for_request(request) if site else None
    nav = [link for b in (chrome.nav_links if chrome else []) if (link := _link(request, b))]
    home = site.root_page if site else None
    if not nav and home is not None:
        nav = [
            {"label": pick(p.title, getattr(p, "title_es", "")), "url": p.get_url(request)}
            for p in home.get_children().live().in_menu().specific()
        ]
    current = request.path
    for link in nav:
        link["current"] = current == link["url"] or (
            link["url"] != "/" and current.startswith(link["url"])
        )
    footer = [link for b in (chrome.footer_links if chrome else []) if (link := _link(request, b))]
    return {
        "home_url": home.get_url(request) if home is not None else "/",
        "nav": nav,
        "footer_text": pick(chrome.footer_text, chrome.footer_text_es) if chrome else "",
        "footer_links": footer,
    }
