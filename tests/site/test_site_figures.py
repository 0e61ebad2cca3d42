"""Every public figure means one thing: the home page, the directories, a school page and the
annual report agree on the demo data."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.core.management import call_command

from crm.fiscal import fiscal_year_of
from crm.selectors.reports import annual_report

DEMO_TODAY = "2026-11-24 12:00 -08:00"


@pytest.fixture
def demo_site(db, site_tree):
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", size="small", stdout=io.StringIO())


def figure(body: str, label: str) -> int:
    found = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", body))
    return int(found[label].replace(",", ""))


def heading_count(body: str) -> int:
    match = re.search(r'class="results-count"[^>]*>\s*([\d,]+)', body)
    assert match, "no result count on the page"
    return int(match.group(1).replace(",", ""))


@time_machine.travel(DEMO_TODAY, tick=False)
def test_home_directories_school_pages_and_report_agree(client, demo_site):
    import datetime as dt

    fy = fiscal_year_of(dt.date(2026, 11, 24))
    home = client.get("/").content.decode()
    directory = client.get("/partners/").content.decode()
    schools = client.get("/community-schools/").content.decode()
    report = annual_report(fiscal_year=fy)

    partners = figure(home, "Partner organizations")
    assert partners == heading_count(directory) > 10
    funded = figure(home, "Community schools")
    assert funded == heading_count(schools) == report.community_schools > 10
    # Each listed school's own page says it is funded this year; an ended one says it is not.
    listed = re.findall(r'<a href="/community-schools/([\w-]+)/">', schools)
    assert len(listed) == funded
    page = client.get(f"/community-schools/{listed[0]}/").content.decode()
    assert "CCSPP-funded community school this school year" in page
    every = client.get("/community-schools/?period=any").content.decode()
    assert heading_count(every) >= funded
    # The same figures in Spanish.
    es_home = client.get("/es/").content.decode()
    assert re.search(rf"<dd>{funded:,}</dd>".replace(",", "[,.]?"), es_home)
    # Every figure carries a line saying what it counts.
    assert home.count('class="figure-note"') == 6
    assert 'class="figure-note"' in directory and 'class="figure-note"' in schools
