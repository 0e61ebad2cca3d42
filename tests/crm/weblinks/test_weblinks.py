"""Stored links are http(s) only: the allow-list, every way in (service, admin form, import,
Slack permalink) and the clean-up migration; the public profile is in tests/site.
"""

from __future__ import annotations

import importlib
import logging

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.models import AuditEntry, Partner, School, Touchpoint
from crm.services.partners import partner_create, partner_update
from crm.weblinks import MESSAGE, safe_href, web_url_problem
from tests.crm.imports.test_import_service import run
from tests.factories import make_partner, make_touchpoint

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "javascript://%0aalert(document.domain)//",
    "javascript://example.org/%0aalert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript\x00:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/",
    "mailto:someone@example.org",
    "//evil.example/",
    "/\\evil.example",
    "https:\\\\evil.example",
    "\\\\evil.example",
    "https://exa mple.org",
    "https://example.org/\u202egnp.exe",
    "\u202ehttps://example.org",
    "https://",
    "http://javascript:alert(1)",
    "<script>alert(1)</script>",
]
GOOD = {
    "https://example.org": "https://example.org",
    "HTTPS://Example.org/About?x=1#top": "HTTPS://Example.org/About?x=1#top",
    "http://example.org": "http://example.org",
    "example.org": "https://example.org",
    "www.example.org/path": "https://www.example.org/path",
    "example.org:8080/x": "https://example.org:8080/x",
    "  https://example.org  ": "https://example.org",
}


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_links_are_refused_and_never_rendered(value):
    assert web_url_problem(value) == MESSAGE
    assert safe_href(value) == ""


@pytest.mark.parametrize(("value", "href"), GOOD.items())
def test_web_addresses_are_kept(value, href):
    assert web_url_problem(value) is None
    assert safe_href(value) == href


@pytest.mark.parametrize("value", HOSTILE)
def test_services_refuse_hostile_links(world, value):
    with pytest.raises(ValidationError) as err:
        partner_create(name="Hostile Link Org", website=value, actor=world.pat, source="admin")
    assert MESSAGE in err.value.message_dict["website"]
    partner = make_partner("Fine Link Org", website="https://fine.example")
    with pytest.raises(ValidationError):
        partner_update(partner=partner, actor=world.pat, source="admin", data={"website": value})
    partner.refresh_from_db()
    assert partner.website == "https://fine.example"
    assert not Partner.objects.filter(name="Hostile Link Org").exists()


def test_slack_permalink_must_be_a_web_address(world):
    partner = make_partner("Permalink Org")
    with pytest.raises(ValidationError):
        make_touchpoint(partner, slack_permalink="javascript://slack.com/%0aalert(1)")
    assert not Touchpoint.objects.exists()


def test_school_website_is_checked(world):
    world.roosevelt.website = "JaVaScRiPt:alert(1)"
    with pytest.raises(ValidationError):
        world.roosevelt.full_clean()


@pytest.mark.parametrize("value", ["javascript://%0aalert(document.domain)//", "data:text/html,x"])
def test_admin_form_shows_the_error_on_the_field(world, client, value):
    from tests.crm.admin.test_admin_partner_forms import PARTNER_POST

    client.force_login(world.pat)
    response = client.post(reverse("crm_partner:add"), {**PARTNER_POST, "website": value})
    assert response.status_code == 200
    assert "http:// or https://" in response.content.decode()
    assert not Partner.objects.exists()


def test_import_preview_row_names_the_website_column(world):
    rows = [["name", "website"], ["Import Link Org", "  JaVaScRiPt:alert(1)"]]
    report = run("partners", rows, world.pat)
    assert not report.written
    (bad,) = report.errors
    assert ["website", MESSAGE] in [list(e) for e in bad.errors]
    assert not Partner.objects.exists()


def test_migration_clears_and_logs_unsafe_links(world, caplog):
    partner = make_partner("Migrated Link Org", website="https://kept.example")
    bad = make_partner("Bad Link Org")
    Partner.objects.filter(pk=bad.pk).update(website="vbscript:msgbox(1)")
    School.objects.filter(pk=world.roosevelt.pk).update(website="data:text/html,x")
    migration = importlib.import_module("crm.migrations.0011_web_links_http_only")
    with caplog.at_level(logging.WARNING, logger="crm.migrations"):
        migration.clear_unsafe_links(global_apps, None)
    bad.refresh_from_db()
    partner.refresh_from_db()
    world.roosevelt.refresh_from_db()
    assert (bad.website, partner.website, world.roosevelt.website) == (
        "",
        "https://kept.example",
        "",
    )
    entry = AuditEntry.objects.get(action="link.clear_unsafe", object_id=str(bad.pk))
    assert entry.changes == {"website": ["vbscript:msgbox(1)", ""]}
    assert "vbscript:msgbox(1)" in caplog.text
