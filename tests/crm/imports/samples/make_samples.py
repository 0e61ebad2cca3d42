"""Regenerate the bad-input sample files next to this script: `python make_samples.py`.

The ZIP bomb and the XML entity bomb are small on disk and enormous once expanded.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "name,website,ein,city,contact_name\n"
SPANISH = (
    "Fundación Niños Primero,ninosprimero.org,95-4417582,Pacoima,José Muñoz\n"
    "Asociación de Padres Año Nuevo,,,Boyle Heights,María Peña\n"
)


def _workbook(sheet_xml: bytes, *, deflate: bool = True) -> bytes:
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/'
            b'vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _real_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    # One 120 MB cell of a single letter deflates to ~120 KB: the parts' sizes give it away.
    body = b'<c t="inlineStr"><is><t>' + b"A" * (120 * 1024 * 1024) + b"</t></is></c>"
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        + body
        + b"</row></sheetData></worksheet>"
    )
    return _workbook(sheet)


def _entity_bomb() -> bytes:
    # "Billion laughs": ten levels of ten references expand to 10^9 copies of "lol".
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
        for i in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [' + entities + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _workbook(sheet)


def samples() -> dict[str, bytes]:
    good = (HEADER + SPANISH).encode()
    xlsx = _real_xlsx(
        [["name", "website", "city"], ["Fundación Niños Primero", "ninosprimero.org", "Pacoima"]]
    )
    many_rows = HEADER + "".join(f"Organization number {i},,,Pomona,\n" for i in range(60))
    return {
        "utf8_bom.csv": b"\xef\xbb\xbf" + good,
        "utf8_no_bom.csv": good,
        "utf16.csv": (HEADER + SPANISH).replace(",", "\t").encode("utf-16"),
        "windows1252.csv": (HEADER + SPANISH).encode("cp1252"),
        "not_text.csv": HEADER.encode() + b"\x81\x8d\x8f\x90\x9d, caf\xe9\n",
        "header_only.csv": HEADER.encode(),
        "empty.csv": b"",
        "missing_column.csv": b"website,city\nninosprimero.org,Pacoima\n",
        "extra_column.csv": b"name,city,favourite_colour\nFundacion Ninos,Pacoima,blue\n",
        "duplicated_column.csv": b"name,city,name\nFundacion Ninos,Pacoima,Other\n",
        "broken_quotes.csv": b'name,city\n"Fundacion Ninos,Pacoima\nOther Org,Pomona\n',
        "nul_bytes.csv": b"name,city\nFundacion\x00 Ninos,Pacoima\n",
        "partners.xlsx": xlsx,
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "csv_named.xlsx": good,
        "workbook_named.csv": xlsx,
        "zip_bomb.xlsx": _zip_bomb(),
        "entity_bomb.xlsx": _entity_bomb(),
        "over_size_cap.csv": (HEADER + "Organization with a long name,,,Pomona,\n" * 80).encode(),
        "over_row_cap.csv": many_rows.encode(),
        "html_cells.csv": (
            b"name,city,contact_name\n"
            b'<script>alert("x")</script> Youth Center,<b>Pomona</b>,<img src=x onerror=alert(1)>\n'
        ),
        "dates_other_formats.csv": (
            "partner,start_date,end_date,title\n"
            'Fundación Niños Primero,"March 5, 2025",2026/06/30,Spring fair\n'
            "Fundación Niños Primero,03/05/2025,,After school\n"
        ).encode(),
        "dates_unreadable.csv": (
            "partner,start_date,title\nFundación Niños Primero,31.12.2024,Winter\n"
        ).encode(),
    }


if __name__ == "__main__":
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
