"""A partner's service details on every write and read path: the service (validated, audited),
the admin form, the API partner resource and the CSV export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.models import AuditEntry, Partner
from crm.services.partners import partner_update
from tests.crm.admin.test_admin_partner_forms import PARTNER_POST
from tests.factories import make_partner

pytestmark = pytest.mark.django_db

DETAILS = {
    "accepting_referrals": "accepting",
    "monthly_capacity": 20,
    "languages": ["es", "ko"],
    "grades_from": "6",
    "grades_to": "12",
    "hours": "Tue and Thu 4-7 pm",
    "cost": "free",
    "eligibility": ["no_insurance_needed"],
    "eligibility_notes": "Students of partner schools.",
}


def test_the_service_stores_validates_and_audits_details(world):
    partner = make_partner("Westside Tutoring Collective", **DETAILS)
    partner.refresh_from_db()
    assert {f: getattr(partner, f) for f in DETAILS} == DETAILS
    partner_update(partner=partner, data={"languages": ["es"]}, actor=world.pat, source="admin")
    entry = AuditEntry.objects.get(action="partner.update", object_id=str(partner.pk))
    assert entry.changes == {"languages": [["es", "ko"], ["es"]]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"languages": ["xx"]}, "languages"),
        ({"languages": ["es", "es"]}, "languages"),
        ({"languages": "es"}, "languages"),
        ({"eligibility": ["magic"]}, "eligibility"),
        ({"grades_from": "9", "grades_to": "k"}, "grades_to"),
        ({"cost": "priceless"}, "cost"),
        ({"accepting_referrals": "maybe"}, "accepting_referrals"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_written(world, data, field):
    partner = make_partner("Westside Tutoring Collective")
    with pytest.raises(ValidationError) as refused:
        partner_update(partner=partner, data=data, actor=world.pat, source="admin")
    assert field in refused.value.message_dict
    partner.refresh_from_db()
    assert (partner.languages, partner.grades_to, partner.cost) == ([], "", "")


def test_the_admin_form_edits_details(world, client):
    client.force_login(world.pat)
    post = {
        **PARTNER_POST,
        **{k: v for k, v in DETAILS.items() if not isinstance(v, list)},
        "languages": ["ko", "es"],
        "eligibility": ["no_insurance_needed"],
    }
    assert client.post(reverse("crm_partner:add"), post).status_code == 302
    partner = Partner.objects.get(name=PARTNER_POST["name"])
    # Ticks are stored in the vocabulary's order, whatever order they were sent in.
    assert (partner.languages, partner.monthly_capacity) == (["es", "ko"], 20)
    page = client.get(reverse("crm_partner:edit", args=[partner.pk])).content.decode()
    ticked = set(re.findall(r'<input[^>]*name="languages" value="(\w+)"[^>]*checked', page))
    assert ticked == {"es", "ko"}
    inspect = client.get(reverse("crm_partner:inspect", args=[partner.pk])).content.decode()
    assert "Spanish, Korean" in inspect and "No insurance needed" in inspect
    bad = client.post(reverse("crm_partner:edit", args=[partner.pk]), {**post, "languages": ["xx"]})
    assert bad.status_code == 200
    partner.refresh_from_db()
    assert partner.languages == ["es", "ko"]


def test_the_api_reads_and_writes_details(world, api):
    response = api.pat.post("/api/v1/partners/", {"name": "Harbor Youth Services", **DETAILS})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {f: data[f] for f in DETAILS} == DETAILS
    patched = api.pat.patch(
        f"/api/v1/partners/{data['id']}/", {"accepting_referrals": "waitlist", "cost": ""}
    )
    assert patched.status_code == 200
    assert (patched.json()["accepting_referrals"], patched.json()["cost"]) == ("waitlist", "")
    bad = api.pat.patch(
        f"/api/v1/partners/{data['id']}/",
        {"languages": ["klingon"], "grades_from": "13", "monthly_capacity": -1},
    )
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"languages", "grades_from", "monthly_capacity"}
    order = api.pat.patch(
        f"/api/v1/partners/{data['id']}/", {"grades_from": "12", "grades_to": "6"}
    )
    assert order.status_code == 400 and "grades_to" in order.json()["fields"]


def test_the_csv_export_has_the_details(world, api):
    make_partner("Harbor Youth Services", **DETAILS)
    body = b"".join(api.lee.get("/api/v1/export/partners/").streaming_content).decode()
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["languages"] == "es; ko"
    assert (row["grades_from"], row["grades_to"], row["cost"]) == ("6", "12", "free")
    assert row["eligibility"] == "no_insurance_needed"
