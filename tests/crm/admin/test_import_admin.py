"""The admin import flow end to end with the Django client, and the role-scoped exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.models import AuditEntry, Event, ImportBatch, Partner, ReferralDisclosure
from tests.factories import make_event, make_partner, make_referral

SAMPLES = Path(__file__).parents[1] / "imports" / "samples"
DEMO = (
    b"name,website,contact_name\n"
    b"Boys and Girls Club of Pomona Valley,bgcpv.org,Rita Soto\n"
    b"Harbor Food Bank,harborfood.org,\n"
)


def login(client, user):
    client.force_login(user)
    return client


def upload(client, data, name="partners.csv", kind="partners"):
    return client.post(
        reverse("crm_import"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


@pytest.fixture
def club(world):
    return make_partner("Boys & Girls Club of Pomona Valley", website="https://bgcpv.org")


def test_import_admin_upload_preview_decide_confirm(client, world, club):
    login(client, world.pat)
    assert client.get(reverse("crm_import")).status_code == 200
    response = upload(client, DEMO)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("crm_import_preview", args=[batch.pk])
    assert Partner.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "Likely duplicate of “Boys &amp; Girls Club of Pomona Valley”" in page
    assert "same website" in page or "website" in page
    assert f'value="link:{club.pk}"' in page
    # The preview survives a reload.
    assert f'value="link:{club.pk}"' in client.get(response.url).content.decode()
    # Strict confirm without a decision writes nothing and says why.
    client.post(response.url, {"mode": "strict"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.PREVIEW and Partner.objects.count() == 1
    assert (
        "Choose what to do with this likely duplicate" in client.get(response.url).content.decode()
    )
    done = client.post(response.url, {"mode": "strict", "decision-2": f"link:{club.pk}"})
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.APPLIED
    assert set(Partner.objects.values_list("name", flat=True)) == {club.name, "Harbor Food Bank"}
    club.refresh_from_db()
    assert club.contacts.get().name == "Rita Soto"
    assert "Imported 1 new, 0 updated, 1 linked" in client.get(response.url).content.decode()
    channels = set(AuditEntry.objects.filter(actor=world.pat).values_list("channel", flat=True))
    assert channels == {"import"}
    assert client.post(response.url, {"mode": "strict"}).status_code == 404


def test_import_admin_preview_belongs_to_uploader(client, world):
    login(client, world.pat)
    upload(client, DEMO)
    url = reverse("crm_import_preview", args=[ImportBatch.objects.get().pk])
    client.logout()
    login(client, world.ana)
    assert client.get(url).status_code == 404
    assert client.post(url, {"mode": "strict"}).status_code == 404
    assert not Partner.objects.exists()


def test_import_admin_bad_file_shows_message(client, world):
    login(client, world.pat)
    response = upload(client, (SAMPLES / "entity_bomb.xlsx").read_bytes(), name="x.xlsx")
    assert response.status_code == 400
    assert "XML entity declarations" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_import_admin_escapes_html_in_cells(client, world):
    login(client, world.pat)
    response = upload(client, (SAMPLES / "html_cells.csv").read_bytes())
    page = client.get(response.url).content.decode()
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    )
    client.post(response.url, {"mode": "strict"})
    page = client.get(response.url).content.decode()
    assert "Imported 1 new" in page and "<script>alert" not in page


def test_import_admin_error_rows_show_column_and_message(client, world):
    login(client, world.pat)
    response = upload(client, b"name,kind\nGood,\nBad,spaceship\n")
    page = client.get(response.url).content.decode()
    assert "kind: “spaceship” is not one of" in page
    client.post(response.url, {"mode": "valid_only"})
    assert list(Partner.objects.values_list("name", flat=True)) == ["Good"]


@pytest.mark.parametrize(
    ("persona", "kinds"),
    [
        (
            "ana",
            {"partners", "partnerships", "funding", "schools", "grants", "events", "referrals"},
        ),
        ("pat", {"partners", "partnerships", "funding"}),
        ("cora", {"events", "referrals"}),
        ("lee", set()),
    ],
)
def test_import_admin_kinds_per_role(client, world, persona, kinds):
    login(client, getattr(world, persona))
    response = client.get(reverse("crm_import"))
    if not kinds:
        assert response.status_code == 403
        return
    offered = {value for value, _ in response.context["form"].fields["kind"].choices}
    assert offered == kinds


def test_import_admin_coordinator_rows_for_other_schools_are_errors(client, world):
    login(client, world.cora)
    data = (
        f"school_cds_code,kind,date\n{world.roosevelt.cds_code},workshop,2024-10-01\n"
        f"{world.garfield.cds_code},workshop,2024-10-02\n"
    ).encode()
    response = upload(client, data, kind="events")
    page = client.get(response.url).content.decode()
    assert "only import rows for your own schools" in page
    client.post(response.url, {"mode": "strict"})
    assert not Event.objects.exists()
    assert not upload(client, DEMO, kind="partners").status_code == 302


def test_import_admin_anonymous_redirected_to_login(client, db):
    response = client.get(reverse("crm_import"))
    assert response.status_code == 302 and "login" in response.url


# ---------------------------------------------------------------- exports


def test_import_export_neutralises_formulas_and_keeps_numbers(client, world):
    make_partner('=HYPERLINK("http://evil")', phone="+1 (213) 555-0100", ein="95-4417582")
    login(client, world.lee)
    response = client.get(reverse("crm_export", args=["partners"]) + "?format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    # A leading "+" would be computed: the phone stays readable as text behind a "'".
    assert rows[0]["phone"] == "'+1 (213) 555-0100"
    xlsx = client.get(reverse("crm_export", args=["partners"]) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")'


def test_import_export_scoped_to_role(client, world):
    food = make_partner("Harbor Food Bank")
    make_referral(world.roosevelt, food, student_ref="STU-R1")
    make_referral(world.garfield, food, student_ref="STU-G1")
    make_event(world.roosevelt, title="Roosevelt night")
    make_event(world.garfield, title="Garfield night")
    login(client, world.cora)
    body = client.get(reverse("crm_export", args=["referrals"])).content.decode()
    assert "STU-R1" in body and "STU-G1" not in body
    events = client.get(reverse("crm_export", args=["events"])).content.decode()
    assert "Roosevelt night" in events and "Garfield night" not in events
    exported = ReferralDisclosure.objects.filter(user=world.cora, action="export")
    assert list(exported.values_list("student_ref", flat=True)) == ["STU-R1"]
    assert client.get(reverse("crm_export", args=["funding"])).status_code == 403
    client.logout()
    login(client, world.ana)
    body = client.get(reverse("crm_export", args=["referrals"])).content.decode()
    assert "STU-R1" in body and "STU-G1" in body
    client.logout()
    for persona in ("pat", "lee"):
        login(client, getattr(world, persona))
        assert client.get(reverse("crm_export", args=["referrals"])).status_code == 403
        client.logout()


def test_import_export_round_trips_schools_in_cde_layout(client, world):
    login(client, world.ana)
    body = client.get(reverse("crm_export", args=["schools"])).content
    assert body.decode("utf-8-sig").startswith("CDSCode,District,School,Street")
    response = upload(client, body, name="schools.csv", kind="schools")
    page = client.get(response.url).content.decode()
    assert "2 update" in page


@pytest.mark.parametrize(
    "kind", ["partners", "partnerships", "schools", "grants", "events", "referrals", "funding"]
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_export_every_kind_uses_the_import_columns(client, world, kind, fmt):
    from crm.services.imports import KINDS

    food = make_partner("Harbor Food Bank")
    make_referral(world.roosevelt, food)
    make_event(world.roosevelt, partners=[food])
    login(client, world.ana)
    response = client.get(reverse("crm_export", args=[kind]) + f"?format={fmt}")
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers = [c.value for c in sheet[1]]
    else:
        headers = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    spec = KINDS[kind]
    known = set(spec.required) | set(spec.optional) | spec.ignored
    assert set(spec.required) <= {spec.key(h) for h in headers} <= known


def test_import_admin_menu_items_follow_role(client, world):
    login(client, world.pat)
    page = client.get("/admin/").content.decode()
    assert reverse("crm_import") in page and reverse("crm_exports") in page
    client.logout()
    login(client, world.lee)
    page = client.get("/admin/").content.decode()
    assert reverse("crm_import") not in page and reverse("crm_exports") in page
