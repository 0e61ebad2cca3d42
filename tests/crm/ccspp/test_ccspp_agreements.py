"""Signed agreements: checked uploads, private downloads, reminders 60 and 30 days before
expiry (once each), the dashboard list, the annual report note and the referral warning."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.models import AgreementReminder, Referral
from crm.selectors.reports import annual_report
from crm.services.activity import partnership_update
from crm.services.agreements import agreement_reminders_send
from tests.factories import PDF_BYTES, make_agreement, make_partner, make_partnership


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def deal(world):
    partner = make_partner("Harbor Food Bank")
    partnership = make_partnership(partner, strategic=True, lead_staff=world.pat)
    return partner, partnership


@pytest.mark.parametrize(
    ("name", "data"),
    [("mou.pdf", PDF_BYTES), ("Signed MOU.docx", _docx())],
)
def test_a_signed_pdf_or_docx_is_kept_privately(deal, settings, name, data):
    agreement = make_agreement(deal[1], document=SimpleUploadedFile(name, data))
    assert agreement.original_name == name
    with pytest.raises(ValueError):
        agreement.document.url  # noqa: B018 - private documents have no public URL
    media = str(settings.MEDIA_ROOT)
    assert not agreement.document.path.startswith(media)
    with agreement.document.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("mou.pdf", b"MZ\x90\x00 not a pdf", "PDF or Word"),
        ("mou.exe", PDF_BYTES, "PDF or Word"),
        ("mou.docx", b"PK\x03\x04 broken zip", "PDF or Word"),
        ("big.pdf", PDF_BYTES + b"0" * 2048, "larger than"),
    ],
)
def test_other_files_are_refused_and_nothing_is_stored(deal, settings, name, data, message):
    settings.AGREEMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=message):
        make_agreement(deal[1], document=SimpleUploadedFile(name, data))
    assert not deal[1].agreements.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("ana", 200), ("pat", 200), ("lee", 200), ("cora", 404)]
)
def test_the_document_downloads_only_for_those_who_see_partnerships(
    deal, world, client, persona, status
):
    agreement = make_agreement(deal[1])
    client.force_login(getattr(world, persona))
    response = client.get(reverse("crm_agreement_download", args=[agreement.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment;")


def test_reminders_go_once_at_60_and_once_at_30_days(deal):
    agreement = make_agreement(deal[1], expires_on=dt.date(2025, 3, 31))
    for day, sent in (
        (dt.date(2025, 1, 29), 0),  # 61 days before
        (dt.date(2025, 1, 30), 1),  # 60 days before
        (dt.date(2025, 2, 10), 0),
        (dt.date(2025, 3, 1), 1),  # 30 days before
        (dt.date(2025, 3, 2), 0),
    ):
        assert agreement_reminders_send(today=day, source="command").sent == sent, day
    assert sorted(agreement.reminders.values_list("days_before", flat=True)) == [30, 60]
    assert [m.to for m in mail.outbox] == [["pat@example.org"]] * 2
    assert "expires on 2025-03-31" in mail.outbox[0].body


def test_a_late_upload_gets_only_the_nearest_reminder(deal):
    make_agreement(deal[1], expires_on=dt.date(2025, 3, 31))
    assert agreement_reminders_send(today=dt.date(2025, 3, 20), source="command").sent == 1
    assert list(AgreementReminder.objects.values_list("days_before", flat=True)) == [30]
    assert agreement_reminders_send(today=dt.date(2025, 3, 21), source="command").sent == 0


def test_the_dashboard_lists_agreements_expiring_soon(deal, client):
    make_agreement(deal[1], expires_on=dt.date(2025, 3, 31))
    with time_machine.travel(dt.datetime(2025, 3, 10, 18, tzinfo=dt.UTC)):
        client.force_login(deal[1].lead_staff)
        html = client.get("/admin/").content.decode()
    assert "Agreements expiring by" in html and "(you lead it)" in html


def test_the_annual_report_notes_strategic_partnerships_without_an_agreement(deal):
    _, partnership = deal
    report = annual_report(fiscal_year=2025)
    assert report.strategic_without_agreement == 1
    assert "without a current signed agreement" in report.data_quality
    make_agreement(partnership, signed_on=dt.date(2024, 8, 1), expires_on=dt.date(2026, 6, 30))
    assert annual_report(fiscal_year=2025).strategic_without_agreement == 0
    partnership_update(
        partnership=partnership, data={"strategic": False}, actor=None, source="command"
    )
    assert annual_report(fiscal_year=2025).strategic_without_agreement == 0


def test_a_referral_to_a_partner_without_data_sharing_agreement_asks_first(deal, client, world):
    partner, partnership = deal
    client.force_login(world.cora)
    form = {
        "school": world.roosevelt.pk,
        "partner": partner.pk,
        "student_ref": "ROOS-7001",
        "need_category": "food",
        "referred_on": "2024-10-21",
        "contact_preference": "phone",
    }
    response = client.post(reverse("referral:add"), form)
    assert response.status_code == 200
    assert "no current data-sharing agreement" in response.content.decode()
    assert not Referral.objects.filter(student_ref="ROOS-7001").exists()
    make_agreement(partnership, signed_on=dt.date(2024, 7, 1))
    assert client.post(reverse("referral:add"), form).status_code == 302
