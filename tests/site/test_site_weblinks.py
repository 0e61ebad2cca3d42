"""A stored non-http(s) link never becomes an href on the public site (profile, JSON-LD, footer)."""

from __future__ import annotations

import json
import re

from cms.models import SiteChrome
from crm.models import Partner
from tests.factories import make_partner


def test_public_profile_never_links_a_stored_bad_value(client, public_world):
    partner = make_partner("Legacy Link Org", published=True, description="Old record.")
    # A value stored before the rule existed, bypassing every check.
    Partner.objects.filter(pk=partner.pk).update(website="javascript://%0aalert(document.domain)//")
    html = client.get(f"/partners/{partner.slug}/").content.decode()
    assert "javascript:" not in html.lower()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["url"].startswith("http") and data["url"].endswith(f"/partners/{partner.slug}/")


def test_footer_link_to_a_script_address_is_dropped(client, public_world):
    from wagtail.models import Site

    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    chrome.footer_links = [
        ("link", {"label": "Evil", "url": "javascript:alert(1)"}),
        ("link", {"label": "Fine", "url": "https://fine.example/"}),
    ]
    chrome.save()
    html = client.get("/partners/").content.decode()
    assert "javascript:" not in html.lower()
    assert 'href="https://fine.example/"' in html
