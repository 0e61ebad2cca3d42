"""A touchpoint names whom it was with: one of its own partner's contacts, checked by the service
on every face (admin form, API, Slack), and exported only to those who may see contacts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.models import AuditEntry, Touchpoint
from crm.services.activity import touchpoint_create, touchpoint_update
from tests.factories import make_contact, make_partner, make_touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world):
    club = make_partner("Boys & Girls Club of Watts")
    pantry = make_partner("Bell Gardens Food Bank")
    return (
        club,
        make_contact(club, name="Dana Quimby", email="dana@club.example.org"),
        pantry,
        make_contact(pantry, name="Private Pantry Person", email="p@pantry.example.org"),
    )


def _create(world, partner, contact):
    return touchpoint_create(
        partner=partner,
        contact=contact,
        occurred_on=dt.date(2026, 1, 5),
        channel="call",
        summary="Planned the spring drive.",
        actor=world.pat,
        source="admin",
    )


def test_a_touchpoint_names_one_of_its_partners_contacts(world, two):
    club, dana, *_ = two
    touchpoint = _create(world, club, dana)
    assert touchpoint.contact == dana
    entry = AuditEntry.objects.get(action="touchpoint.create")
    assert entry.changes["contact"] == dana.pk


def test_another_partners_contact_is_refused_on_create(world, two):
    club, _, pantry, other = two
    with pytest.raises(ValidationError) as refused:
        _create(world, club, other)
    assert "contact" in refused.value.error_dict
    assert "Private Pantry Person" not in str(refused.value)
    assert not Touchpoint.objects.exists()


def test_another_partners_contact_is_refused_on_update(world, two):
    club, dana, pantry, other = two
    touchpoint = make_touchpoint(club)
    with pytest.raises(ValidationError):
        touchpoint_update(
            touchpoint=touchpoint, data={"contact": other}, actor=world.pat, source="admin"
        )
    touchpoint_update(
        touchpoint=touchpoint, data={"contact": dana}, actor=world.pat, source="admin"
    )
    assert Touchpoint.objects.get(pk=touchpoint.pk).contact == dana


def test_the_admin_form_offers_a_contact_picker_of_that_partner(world, two, client):
    club, dana, *_ = two
    client.force_login(world.pat)
    page = client.get(reverse("crm_touchpoint:add"), {"partner": club.pk}).content.decode()
    assert f'data-suggest-url="{reverse("crm_choose_contacts")}?partner={club.pk}"' in page
    response = client.post(
        reverse("crm_touchpoint:add"),
        {
            "partner": club.pk,
            "contact": dana.pk,
            "occurred_on": "2026-01-05",
            "channel": "call",
            "summary": "Called Dana.",
        },
    )
    assert response.status_code == 302
    assert Touchpoint.objects.get().contact == dana


def test_the_admin_form_shows_the_refusal_on_the_contact_field(world, two, client):
    club, _, pantry, other = two
    client.force_login(world.pat)
    response = client.post(
        reverse("crm_touchpoint:add"),
        {
            "partner": club.pk,
            "contact": other.pk,
            "occurred_on": "2026-01-05",
            "channel": "call",
            "summary": "x",
        },
    )
    assert response.status_code == 200
    assert "Choose one of this partner&#x27;s own contacts." in response.content.decode()


def test_a_coordinator_without_contact_access_gets_no_contact_field(world, two, client):
    client.force_login(world.cora)
    page = client.get(reverse("crm_touchpoint:add")).content.decode()
    assert 'name="contact"' not in page
    assert client.get(reverse("crm_choose_contacts"), {"q": "dana"}).status_code != 200


def test_the_contact_picker_lists_only_that_partners_contacts(world, two, client):
    club, dana, pantry, other = two
    client.force_login(world.pat)
    url = reverse("crm_choose_contacts")
    found = client.get(url, {"q": "example", "partner": club.pk}).json()["results"]
    assert [row["id"] for row in found] == [dana.pk]


@pytest.mark.parametrize("who, shown", [("pat", True), ("cora", False)])
def test_the_list_download_has_the_contact_only_for_contact_viewers(world, two, client, who, shown):
    club, dana, *_ = two
    _create(world, club, dana)
    client.force_login(getattr(world, who))
    response = client.get(reverse("crm_touchpoint:index"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert any("contact" in h.lower() for h in header) is shown
    assert ("Dana Quimby" in body) is shown
