"""The duplicate check on every path: renames, import references, and "Create anyway"."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from crm.models import (
    AuditEntry,
    CandidateStatus,
    DuplicateCandidate,
    ImportBatch,
    Partner,
    Partnership,
)
from crm.services.imports import import_file
from crm.services.partners import DuplicatePartner, partner_update
from tests.crm.admin.test_admin_partner_forms import PARTNER_POST
from tests.factories import make_partner


def queued(a: Partner, b: Partner) -> DuplicateCandidate:
    left, right = sorted((a.pk, b.pk))
    return DuplicateCandidate.objects.get(left_id=left, right_id=right)


# --- renames --------------------------------------------------------------------------------


def test_a_rename_is_checked_like_a_create(world):
    club = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    other = make_partner("Pasadena Youth Arts")
    with pytest.raises(DuplicatePartner) as refused:
        partner_update(
            partner=other,
            data={"name": "Boys and Girls Club of Pasadena Inc"},
            actor=world.pat,
            source="admin",
        )
    assert [m.id for m in refused.value.matches] == [club.pk]
    assert Partner.objects.get(pk=other.pk).name == "Pasadena Youth Arts"
    partner_update(partner=other, data={"city": "Pasadena"}, actor=world.pat, source="admin")
    partner_update(
        partner=other,
        data={"name": "Boys and Girls Club of Pasadena Inc"},
        rename_anyway=True,
        actor=world.pat,
        source="admin",
    )
    assert queued(club, other).status == CandidateStatus.OPEN
    entry = AuditEntry.objects.filter(action="partner.update", object_id=str(other.pk)).latest("pk")
    assert entry.changes["renamed_anyway_over"][0]["id"] == club.pk


def test_admin_rename_shows_the_duplicates_and_saves_anyway(world, client):
    club = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    other = make_partner("Eastside Family Resource Center")
    client.force_login(world.pat)
    url = reverse("crm_partner:edit", args=[other.pk])
    # Only the name changes (no website of its own that would conflict with the club's).
    data = {
        **PARTNER_POST,
        "name": "Boys and Girls Club of Pasadena Inc",
        "aliases": "",
        "website": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "looks like another record" in html and "Boys &amp; Girls Club of Pasadena" in html
    assert 'name="rename_anyway" value="1"' in html
    assert Partner.objects.get(pk=other.pk).name == "Eastside Family Resource Center"
    assert client.post(url, {**data, "rename_anyway": "1"}).status_code == 302
    assert Partner.objects.get(pk=other.pk).name == "Boys and Girls Club of Pasadena Inc"
    assert queued(club, other).level == "likely"


def test_admin_edit_keeping_the_name_is_not_stopped(world, client):
    make_partner("Eastside Family Resource Centre")
    mine = make_partner("Eastside Family Resource Center")
    client.force_login(world.pat)
    data = {**PARTNER_POST, "aliases": "", "city": "Pasadena"}
    assert client.post(reverse("crm_partner:edit", args=[mine.pk]), data).status_code == 302


def test_import_update_under_a_new_name_needs_confirming(world, client):
    club = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    arts = make_partner("Pasadena Youth Arts", ein="95-1111111")
    data = b"name,ein,aliases\nPasadena Youth Arts,95-1111111,Boys and Girls Club of Pasadena Inc\n"
    client.force_login(world.pat)
    client.post(
        reverse("crm_import"),
        {"kind": "partners", "file": SimpleUploadedFile("p.csv", data)},
    )
    batch = ImportBatch.objects.get()
    url = reverse("crm_import_preview", args=[batch.pk])
    page = client.get(url).content.decode()
    assert "Update “Pasadena Youth Arts”" in page
    assert "the new name “Boys and Girls Club of Pasadena Inc” looks like the existing" in page
    assert 'value="confirm"' in page
    client.post(url, {"mode": "strict"})
    assert "Confirm or skip this row" in client.get(url).content.decode()
    assert "Boys and Girls Club of Pasadena Inc" not in Partner.objects.get(pk=arts.pk).aliases
    client.post(url, {"mode": "strict", "decision-2": "confirm"})
    arts.refresh_from_db()
    assert "Boys and Girls Club of Pasadena Inc" in arts.aliases
    assert queued(club, arts).status == CandidateStatus.OPEN


# --- import references ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref", ["https://www.harborfood.org", "harborfood.org", "www.harborfood.org/"]
)
def test_an_import_reference_by_website_resolves(world, ref):
    harbor = make_partner("Harbor Community Food Bank", website="https://harborfood.org/about")
    make_partner("Harbor Youth Sports", website="harboryouth.org")
    data = f"partner,start_date\n{ref},2025-01-15\n".encode()
    report = import_file(kind="partnerships", data=data, filename="p.csv", actor=world.pat)
    assert report.written, report.as_dict()
    assert Partnership.objects.get().partner == harbor
    assert not report.rows[0].confirm


def test_a_website_shared_by_two_partners_is_ambiguous(world):
    make_partner("Harbor Community Food Bank", website="harborfood.org")
    make_partner("Harbor Food Pantry", website="https://www.harborfood.org")
    data = b"partner,start_date\nharborfood.org,2025-01-15\n"
    report = import_file(kind="partnerships", data=data, filename="p.csv", actor=world.pat)
    assert not report.written
    assert "matches several partners" in report.rows[0].errors[0][1]


def test_a_reference_matched_by_likeness_is_shown_and_needs_confirming(world, client):
    harbor = make_partner("Harbor Community Food Bank")
    data = b"partner,start_date\nHarbor Comunity Food Bank,2025-01-15\n"
    client.force_login(world.pat)
    client.post(
        reverse("crm_import"),
        {"kind": "partnerships", "file": SimpleUploadedFile("p.csv", data)},
    )
    batch = ImportBatch.objects.get()
    url = reverse("crm_import_preview", args=[batch.pk])
    page = client.get(url).content.decode()
    assert (
        "“Harbor Comunity Food Bank” was matched by likeness to “Harbor Community Food Bank”"
        in page
    )
    assert "likely duplicate" in page
    client.post(url, {"mode": "strict"})
    assert not Partnership.objects.exists()
    client.post(url, {"mode": "strict", "decision-2": "confirm"})
    assert Partnership.objects.get().partner == harbor


def test_the_command_skips_a_likeness_match_unless_told_to_link(world, tmp_path):
    harbor = make_partner("Harbor Community Food Bank")
    source = tmp_path / "p.csv"
    source.write_text("partner,start_date\nHarbor Comunity Food Bank,2025-01-15\n")
    call_command("import_records", "partnerships", str(source), stdout=io.StringIO(), verbosity=0)
    assert not Partnership.objects.exists()
    call_command(
        "import_records",
        "partnerships",
        str(source),
        "--duplicates",
        "link",
        stdout=io.StringIO(),
        verbosity=0,
    )
    assert Partnership.objects.get().partner == harbor


# --- "Create anyway" enters the review queue on every path ------------------------------------


def test_admin_create_anyway_enters_the_review_queue(world, client):
    existing = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    data = {**PARTNER_POST, "name": "Boys and Girls Club of Pasadena Inc", "aliases": ""}
    client.force_login(world.pat)
    client.post(reverse("crm_partner:add"), {**data, "create_anyway": "1"})
    created = Partner.objects.exclude(pk=existing.pk).get()
    assert queued(existing, created).status == CandidateStatus.OPEN
    body = client.get(reverse("crm_dedup_queue")).content.decode()
    assert "Boys and Girls Club of Pasadena Inc" in body


def test_command_create_anyway_enters_the_review_queue(world):
    existing = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    call_command(
        "partner_add",
        "--name",
        "Boys and Girls Club of Pasadena Inc",
        "--create-anyway",
        stdout=io.StringIO(),
    )
    created = Partner.objects.exclude(pk=existing.pk).get()
    assert queued(existing, created).level == "likely"


def test_import_create_anyway_enters_the_review_queue(world):
    existing = make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    data = (
        b"name,website\n"
        b"Boys and Girls Club of Pasadena Inc,bgcpasadena.org\n"
        b"Harbor Community Food Bank,\n"
        b"Harbor Community Food Bank Inc,\n"
    )
    report = import_file(
        kind="partners", data=data, filename="p.csv", actor=world.pat, default_decision="create"
    )
    assert report.written
    club = Partner.objects.get(name="Boys and Girls Club of Pasadena Inc")
    assert queued(existing, club).status == CandidateStatus.OPEN
    first, second = (
        Partner.objects.get(name=n)
        for n in ("Harbor Community Food Bank", "Harbor Community Food Bank Inc")
    )
    assert queued(first, second).level == "likely"
    assert DuplicateCandidate.objects.count() == 2


def test_a_plain_create_does_not_queue_anything(world):
    make_partner("Boys & Girls Club of Pasadena", website="https://bgcpasadena.org")
    data = b"name\nPasadena Youth Arts\n"
    import_file(kind="partners", data=data, filename="p.csv", actor=world.pat)
    assert not DuplicateCandidate.objects.exists()
