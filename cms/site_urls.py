"""Absolute addresses of public pages for the sitemap, canonical links and structured data:
the PUBLIC_SITE_URL setting when set, else the address the visitor used (never the Wagtail
Site's placeholder hostname), with the page in every language the site speaks."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url


def base_url(request) -> str:
    configured = (getattr(settings, "PUBLIC_SITE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


def absolute(request, path: str) -> str:
    return base_url(request) + path


def sitemap_entries(request, path: str, **extra) -> list[dict]:
    """One sitemap entry per language for this (unprefixed) path, each listing all of them as
    hreflang alternates."""
    alternates = [
        {"lang_code": code, "location": absolute(request, translate_url(path, code))}
        for code, _name in settings.LANGUAGES
    ]
    return [{"location": alt["location"], "alternates": alternates, **extra} for alt in alternates]
