"""The site chrome every public page shares (navigation, footer, where the directories live),
cached per site and language until a page, a site or the chrome setting changes."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page, Site

from cms.language import pick
from cms.models import PartnerDirectoryPage, SchoolDirectoryPage, SiteChrome
from crm.data_version import Version
from crm.weblinks import safe_href

PAGES = Version("cms:pages-version")
TIMEOUT = 3600


def pages_changed(sender=None, instance=None, **kwargs) -> None:
    if isinstance(instance, Page | Site | SiteChrome) or sender in (Page, Site, SiteChrome):
        PAGES.bump()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(pages_changed, dispatch_uid="cms-chrome-save")
    post_delete.connect(pages_changed, dispatch_uid="cms-chrome-delete")
    page_published.connect(pages_changed, dispatch_uid="cms-chrome-published")
    page_unpublished.connect(pages_changed, dispatch_uid="cms-chrome-unpublished")
    post_page_move.connect(pages_changed, dispatch_uid="cms-chrome-moved")


def _link(request, block) -> dict | None:
    value = block.value
    page = value.get("page")
    # An editor's address is a stored link like any other: http(s) only.
    url = page.get_url(request) if page is not None and page.live else safe_href(value.get("url"))
    if not url:
        return None
    return {"label": pick(value.get("label", ""), value.get("label_es", "")), "url": url}


def _build(request, site: Site | None) -> dict:
    if site is None:
        return {"home_url": "/", "nav": [], "footer_text": "", "footer_links": []}
    chrome = SiteChrome.for_site(site)
    home = site.root_page
    nav = [link for b in chrome.nav_links if (link := _link(request, b))]
    if not nav:
        nav = [
            {"label": pick(p.title, getattr(p, "title_es", "")), "url": p.get_url(request)}
            for p in home.get_children().live().in_menu().specific()
        ]
    directories = {}
    for key, model in (
        ("partners_url", PartnerDirectoryPage),
        ("schools_url", SchoolDirectoryPage),
    ):
        page = model.objects.live().descendant_of(home).first()
        directories[key] = page.get_url(request) if page else ""
    return {
        "home_url": home.get_url(request) or "/",
        "nav": nav,
        "footer_text": pick(chrome.footer_text, chrome.footer_text_es),
        "footer_links": [link for b in chrome.footer_links if (link := _link(request, b))],
        **directories,
    }


def site_chrome(request) -> dict:
    """Navigation, footer and directory addresses for this request's site and language."""
    site = Site.find_for_request(request)
    key = f"cms:chrome:{site.pk if site else 0}:{get_language()}:{PAGES.current()}"
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build(request, site)
        cache.set(key, chrome, TIMEOUT)
    return chrome
