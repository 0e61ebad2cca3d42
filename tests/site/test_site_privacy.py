"""Privacy crawl: every private field holds a unique canary; no public URL may ever show one."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

from crm.models import Referral, StaffProfile
from tests.factories import (
    make_contact,
    make_event,
    make_partner,
    make_partnership,
    make_referral,
    make_touchpoint,
)
from tests.site.conftest import merge_away

SKIP_PREFIXES = ("/admin/", "/static/", "/documents/", "/media/")


def canary(field: str) -> str:
    return f"CNRY{field}{uuid.uuid4().hex[:10]}"


def plant_canaries(w) -> tuple[list[str], list[str]]:
    """Fill every private field with a canary; returns (canaries, search terms)."""
    c: dict[str, str] = {}

    def add(field: str) -> str:
        c[field] = canary(field)
        return c[field]

    hidden = make_partner(
        f"Zanzibarquill Outreach {add('hiddenname')}",
        published=False,
        description=add("hiddendesc"),
        internal_notes=add("hiddennotes"),
        schools_served=[w.roosevelt],
        service_categories=[w.food],
    )
    merged = make_partner(f"Marmalade Mission {add('mergedname')}", published=False)
    merge_away(merged, w.pantry)
    # Public partners: everything but their public fields is private.
    for partner in (w.club, w.pantry):
        partner.internal_notes = add(f"notes{partner.pk}")
        partner.phone = add(f"phone{partner.pk}")[:40]
        partner.ein = add(f"ein{partner.pk}")[:20]
        partner.street = add(f"street{partner.pk}")
        partner.save()
        make_contact(
            partner,
            name=f"Private {add(f'contactname{partner.pk}')}",
            email=f"{add(f'mail{partner.pk}').lower()}@example.org",
            phone=add(f"cphone{partner.pk}")[:40],
            notes=add(f"cnotes{partner.pk}"),
            is_public=False,
        )
        make_touchpoint(
            partner, summary=add(f"touch{partner.pk}"), next_step=add(f"next{partner.pk}")
        )
        make_partnership(partner, notes=add(f"pship{partner.pk}"), title=add(f"ptitle{partner.pk}"))
    for school in (w.roosevelt, w.garfield):
        student = add(f"stu{school.pk}")
        referral = make_referral(
            school,
            w.pantry,
            student_ref=student[:32],
            notes=add(f"refnotes{school.pk}"),
            referred_on=dt.date(2024, 10, 1),
        )
        Referral.objects.filter(pk=referral.pk).update(outcome=add(f"outcome{school.pk}"))
        make_event(school, participants=25, notes=add(f"eventnotes{school.pk}"))
    for profile in StaffProfile.objects.all():
        profile.phone = add(f"staffphone{profile.pk}")[:40]
        profile.save()
    assert hidden.pk and merged.pk
    # Searches echo the query, so they use words near each canary, never the canary itself.
    searches = ["Zanzibarquill Outreach", "Zanzibarquill", "Marmalade Mission", "Private"]
    searches += [value[4:9] for value in c.values()]
    values = [v[:20] if "ein" in k else v for k, v in c.items()]
    values = [v[:32] if k.startswith("stu") else v for k, v in zip(c, values, strict=True)]
    return values, searches


def _links(base: str, html: str) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"]+)"', html):
        url = urljoin(base, unescape(href))
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and parts.scheme in ("", "http"):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    # Every option of every filter, so each filtered view of a directory is crawled too.
    for name, select in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        for value in re.findall(r'<option value="([^"]+)"', select):
            found.add(f"{urlsplit(base).path}?{name}={value}")
    return found


def _feed_links(url: str, data: dict) -> set[str]:
    """The HSDS feed's endpoints and every record of a list page."""
    path = urlsplit(url).path
    found = {urlsplit(u).path for u in data.get("endpoints", {}).values()}
    found |= {f"{path}/{item['id']}" for item in data.get("contents", [])}
    if data.get("last_page") is False:
        found.add(f"{path}?page={data['page_number'] + 1}")
    return found


def crawl(client, seeds: list[str], *, limit: int = 400) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(seeds)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            seen[url] = ""
            queue.append(response["Location"])
            continue
        body = response.content.decode("utf-8", "replace")
        seen[url] = body
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and "html" in kind:
            queue.extend(_links(url, body) - seen.keys())
        elif response.status_code == 200 and "json" in kind:
            queue.extend(_feed_links(url, json.loads(body)) - seen.keys())
    return seen


def test_no_private_value_reaches_any_public_url(client, public_world):
    canaries, searches = plant_canaries(public_world)
    sitemap = client.get("/sitemap.xml").content.decode()
    sitemap_urls = [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    seeds = ["/", "/es/", "/robots.txt", "/sitemap.xml", "/no-such-page/", "/es/no-such-page/"]
    seeds += sitemap_urls
    seeds += [f"{prefix}/partners/?q={term}" for term in searches for prefix in ("", "/es")]
    seeds += ["/partners/zanzibarquill-outreach/", "/partners/marmalade-mission/"]
    seeds += ["/api/hsds/"]
    pages = crawl(client, seeds)
    # The crawl really reached the public surface: profiles, schools, filters, both languages.
    assert f"/partners/{public_world.club.slug}/" in pages
    assert f"/es/community-schools/{public_world.roosevelt.slug}/" in pages
    assert any("?category=food" in url for url in pages)
    assert len(pages) > 40
    assert "/api/hsds/organizations" in pages
    assert sum(url.startswith("/api/hsds/services/") for url in pages) >= 2
    assert f"/es/community-schools/{public_world.roosevelt.slug}/resource-sheet/" in pages
    leaks = [(url, value) for url, body in pages.items() for value in canaries if value in body]
    assert leaks == []
    for term in ("Zanzibarquill", "Marmalade"):
        assert not any(
            f">{term}" in body or f"{term} Outreach</" in body for body in pages.values()
        )
