"""Field-level export rules: every export kind x role x column against the admin view permissions.

Canary values are planted in every CRM model; a role that may not view a model in the admin must
find none of that model's canaries in any file it can download (Export menu and list downloads,
CSV and XLSX). Contacts are the one model with a public part: without the contact permission only
public contacts of published partners may appear.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import URLResolver, get_resolver, reverse

from crm.models import (
    CommunitySchoolGrant,
    Contact,
    District,
    EquityFocusGroup,
    Event,
    Funding,
    Partner,
    Partnership,
    Referral,
    School,
    ServiceCategory,
    Touchpoint,
)
from crm.selectors.exports import EXPORT_PERMS
from tests.factories import (
    make_contact,
    make_event,
    make_funding,
    make_partner,
    make_partnership,
    make_referral,
    make_touchpoint,
)

ROLES = ("ana", "pat", "cora", "omar", "lee")
FORMATS = ("csv", "xlsx")
PRIVATE_CONTACT = (
    "Aurelia Privatecontact",
    "aurelia@private.example",
    "Secret Liaison",
    "3105550199",
)
PUBLIC_CONTACT = ("Paulo Publiccontact", "paulo@public.example")

# What each Export-menu column reveals, written out here rather than read from the code.
MENU_COLUMNS = {
    "partners": {
        "contact_name": Contact,
        "contact_role": Contact,
        "contact_email": Contact,
        "contact_phone": Contact,
    },
    "partnerships": {"partner": Partner, "school_cds_codes": School},
    "schools": {"District": District},
    "grants": {"school_cds_code": School},
    "events": {"school_cds_code": School, "partners": Partner},
    "referrals": {"school_cds_code": School, "partner": Partner},
    "funding": {"partner": Partner, "school_cds_code": School},
}
MENU_MODELS = {
    "partners": Partner,
    "partnerships": Partnership,
    "schools": School,
    "grants": CommunitySchoolGrant,
    "events": Event,
    "referrals": Referral,
    "funding": Funding,
}
PUBLIC_REFERENCE = {District, School, ServiceCategory, EquityFocusGroup}


def _may_view(user, model) -> bool:
    return user.has_perm(f"crm.view_{model._meta.model_name}")


def _list_exports() -> list[str]:
    """Every admin listing over a CRM model that offers a spreadsheet download."""
    found = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
                continue
            kwargs = getattr(p.callback, "view_initkwargs", {})
            model = kwargs.get("model")
            if p.name == "index" and kwargs.get("list_export") and model:
                if model._meta.app_label == "crm":
                    found.append(f"{namespace}:index")

    walk(get_resolver().url_patterns)
    return sorted(set(found))


@pytest.fixture
def canaries(world):
    partner = make_partner("Canary Partner Org", published=True)
    make_contact(
        partner,
        name=PRIVATE_CONTACT[0],
        email=PRIVATE_CONTACT[1],
        role=PRIVATE_CONTACT[2],
        phone=PRIVATE_CONTACT[3],
    )
    make_contact(partner, name=PUBLIC_CONTACT[0], email=PUBLIC_CONTACT[1], is_public=True)
    hidden = make_partner("Canary Unpublished Org")
    make_contact(hidden, name="Quinn Unpublishedpublic", is_public=True)
    make_partnership(partner, title="Canary Partnership Title", notes="canary-partnership-notes")
    make_funding(source_name="Canary Funding Source", supports="canary-funding-supports")
    make_touchpoint(partner, summary="canary-touchpoint-summary")
    make_event(world.roosevelt, title="Canary Roosevelt Event", notes="canary-event-notes")
    make_event(world.garfield, title="Canary Garfield Event")
    make_referral(world.roosevelt, partner, student_ref="STU-CANARY-R", notes="canary-ref-r")
    make_referral(world.garfield, partner, student_ref="STU-CANARY-G", notes="canary-ref-g")
    return {
        Contact: [*PRIVATE_CONTACT, "Quinn Unpublishedpublic"],
        Partnership: ["Canary Partnership Title", "canary-partnership-notes"],
        Funding: ["Canary Funding Source", "canary-funding-supports"],
        Touchpoint: ["canary-touchpoint-summary"],
        Event: ["Canary Roosevelt Event", "Canary Garfield Event", "canary-event-notes"],
        Referral: ["STU-CANARY-R", "STU-CANARY-G", "canary-ref-r", "canary-ref-g"],
    }


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(body: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]


def _assert_no_canary_of_unviewable(user, rows, canaries, where):
    text = "\n".join("\t".join(r) for r in rows)
    for model, values in canaries.items():
        if model is Contact:
            continue  # checked below: contacts have a public part
        if not _may_view(user, model):
            leaked = [v for v in values if v in text]
            assert not leaked, f"{where}: {user} may not view {model.__name__} but got {leaked}"
    if not _may_view(user, Contact):
        leaked = [v for v in canaries[Contact] if v in text]
        assert not leaked, f"{where}: {user} may not view contacts but got {leaked}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", sorted(EXPORT_PERMS))
def test_export_menu_columns_follow_view_permissions(world, canaries, client, kind, role, fmt):
    user = getattr(world, role)
    client.force_login(user)
    response = client.get(reverse("crm_export", args=[kind]), {"format": fmt})
    if not user.has_perm(EXPORT_PERMS[kind]):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    header, *rows = _rows(_body(response), fmt)
    assert _may_view(user, MENU_MODELS[kind]) or kind == "referrals"
    for column in header:
        model = MENU_COLUMNS[kind].get(column, MENU_MODELS[kind])
        if model is Contact and not _may_view(user, Contact):
            shown = {r[header.index(column)] for r in rows} - {""}
            public = {PUBLIC_CONTACT[0], PUBLIC_CONTACT[1]}
            assert shown <= public, f"{role} got non-public contact details {shown - public}"
            continue
        assert _may_view(user, model) or model in PUBLIC_REFERENCE, (kind, role, column)
    _assert_no_canary_of_unviewable(user, [header, *rows], canaries, f"export {kind}.{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", _list_exports())
def test_list_downloads_follow_view_permissions(world, canaries, client, route, role, fmt):
    user = getattr(world, role)
    client.force_login(user)
    response = client.get(reverse(route), {"export": fmt})
    if response.status_code != 200:
        assert response.status_code in (302, 403), (route, role, response.status_code)
        return
    _assert_no_canary_of_unviewable(user, _rows(_body(response), fmt), canaries, route)


def test_list_exports_are_enumerated():
    routes = _list_exports()
    for expected in ("crm_partner:index", "crm_contact:index", "event:index", "referral:index"):
        assert expected in routes


@pytest.mark.parametrize("fmt", FORMATS)
def test_coordinator_partner_export_holds_only_public_contacts(world, canaries, client, fmt):
    client.force_login(world.cora)
    body = _body(client.get(reverse("crm_export", args=["partners"]), {"format": fmt}))
    header, *rows = _rows(body, fmt)
    row = next(r for r in rows if r[header.index("name")] == "Canary Partner Org")
    assert row[header.index("contact_name")] == PUBLIC_CONTACT[0]
    for value in PRIVATE_CONTACT:
        assert value not in body.decode("latin-1")


@pytest.mark.parametrize("role", ["ana", "pat", "lee"])
def test_contact_viewers_export_every_contact(world, canaries, client, role):
    client.force_login(getattr(world, role))
    body = _body(client.get(reverse("crm_export", args=["partners"]), {"format": "csv"}))
    header, *rows = _rows(body, "csv")
    row = next(r for r in rows if r[header.index("name")] == "Canary Partner Org")
    # Contacts are ordered by name: the private one comes first for those who may see it.
    assert row[header.index("contact_name")] == PRIVATE_CONTACT[0]
    assert row[header.index("contact_email")] == PRIVATE_CONTACT[1]
