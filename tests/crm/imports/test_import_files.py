"""The bad-input corpus: every sample file gets a clear message and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.imports.files import FileRefused, decode_text, read_table
from crm.models import AuditEntry, Partner
from crm.services.imports import ImportRefused, import_file

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


REFUSED = [
    ("not_text.csv", "encoding could not be recognised"),
    ("header_only.csv", "header row but no data rows"),
    ("empty.csv", "The file is empty"),
    ("missing_column.csv", "Missing required column(s): name"),
    ("extra_column.csv", "Unknown column(s): favourite_colour"),
    ("duplicated_column.csv", "Duplicated column(s): name"),
    ("broken_quotes.csv", "malformed near line"),
    ("nul_bytes.csv", "NUL byte on line 2"),
    ("truncated.xlsx", "damaged or truncated"),
    ("csv_named.xlsx", "is not an Excel workbook (it is plain text)"),
    ("workbook_named.csv", "is named .csv but its content (it is a ZIP archive or workbook)"),
    ("zip_bomb.xlsx", "ZIP bomb"),
    ("entity_bomb.xlsx", "XML entity declarations"),
    ("over_size_cap.csv", "the limit is 3,000 bytes"),
    ("over_row_cap.csv", "more than 50 data rows"),
]


@pytest.mark.parametrize(("name", "message"), REFUSED)
def test_import_refuses_bad_file_with_message_and_writes_nothing(world, settings, name, message):
    if name.startswith("over_"):
        settings.PARTNERBASE_IMPORT_MAX_BYTES = 3000
        settings.PARTNERBASE_IMPORT_MAX_ROWS = 50
    with pytest.raises(ImportRefused) as refused:
        import_file(kind="partners", data=sample(name), filename=name, actor=world.pat)
    assert message in str(refused.value)
    assert not Partner.objects.exists()
    assert not AuditEntry.objects.filter(channel="import").exists()


def test_import_bomb_samples_are_small_on_disk_and_huge_expanded():
    import zipfile
    from io import BytesIO

    bomb = sample("zip_bomb.xlsx")
    expanded = sum(i.file_size for i in zipfile.ZipFile(BytesIO(bomb)).infolist())
    assert len(bomb) < 200_000 < 100_000_000 < expanded
    entity = sample("entity_bomb.xlsx")
    assert len(entity) < 5_000 and b"&lol9;" in zipfile.ZipFile(BytesIO(entity)).read(
        "xl/worksheets/sheet1.xml"
    )


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf8_bom.csv", "UTF-8 (with BOM)"),
        ("utf8_no_bom.csv", "UTF-8"),
        ("utf16.csv", "UTF-16"),
        ("windows1252.csv", "Windows-1252"),
    ],
)
def test_import_reads_each_encoding_with_spanish_names(name, encoding):
    table = read_table(sample(name), name, max_bytes=10_000, max_rows=10)
    assert table.encoding == encoding
    assert table.headers[0] == "name"
    assert [r[0] for r in table.rows] == [
        "Fundación Niños Primero",
        "Asociación de Padres Año Nuevo",
    ]
    assert table.rows[1][4] == "María Peña"


@pytest.mark.parametrize("name", ["utf8_bom.csv", "utf16.csv", "windows1252.csv", "partners.xlsx"])
def test_import_encodings_import_end_to_end(world, name):
    report = import_file(kind="partners", data=sample(name), filename=name, actor=world.pat)
    assert report.written, report.message
    assert Partner.objects.filter(name="Fundación Niños Primero").exists()
    assert AuditEntry.objects.filter(channel="import", action="partner.create").exists()


def test_import_utf16_without_bom_is_recognised():
    data = "name\nFundación\n".encode("utf-16-le")
    assert decode_text(data) == ("name\nFundación\n", "UTF-16")


def test_import_unknown_extension_is_refused():
    with pytest.raises(FileRefused, match="Upload a .csv or .xlsx file"):
        read_table(b"name\nx\n", "partners.pdf", max_bytes=1000, max_rows=10)


def test_import_dates_in_other_formats(world):
    from tests.factories import make_partner

    make_partner("Fundación Niños Primero")
    ok = import_file(
        kind="partnerships",
        data=sample("dates_other_formats.csv"),
        filename="d.csv",
        actor=world.pat,
    )
    assert ok.written, [r.errors for r in ok.rows]
    starts = sorted(
        str(d) for d in Partner.objects.get().partnerships.values_list("start_date", flat=True)
    )
    assert starts == ["2025-03-05", "2025-03-05"]
    bad = import_file(
        kind="partnerships", data=sample("dates_unreadable.csv"), filename="d.csv", actor=world.pat
    )
    assert not bad.written
    assert bad.errors[0].errors == [
        [
            "start_date",
            "“31.12.2024” is not a date this import reads; write YYYY-MM-DD "
            "(2025-03-31) or MM/DD/YYYY (03/31/2025).",
        ]
    ]
    assert Partner.objects.get().partnerships.count() == 2
