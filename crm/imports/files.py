"""Reading an uploaded CSV or XLSX into header + rows safely: caps, encodings, bombs, lies.

Plain Python: every refusal is a FileRefused with a message a person can act on.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

MB = 1024 * 1024
# An XLSX part's XML compresses about 10-30x; a ratio far above that is a decompression bomb.
MAX_ZIP_RATIO = 150
MAX_ZIP_MEMBERS = 500
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class FileRefused(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    encoding: str = ""
    # Row numbers as a person sees them in the spreadsheet (header is row 1).
    numbers: list[int] = field(default_factory=list)


def _human(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n:,} bytes"


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    max_rows: int,
    max_unpacked_bytes: int | None = None,
) -> Table:
    """Parse `data` by its extension after checking the content agrees; refuse anything unsafe."""
    if len(data) > max_bytes:
        raise FileRefused(
            f"The file is {_human(len(data))}; the limit is {_human(max_bytes)}. "
            "Split it into smaller files."
        )
    if not data:
        raise FileRefused("The file is empty.")
    name = (filename or "").lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if name.endswith(".xlsx"):
        if not is_zip:
            raise FileRefused(
                f"{filename} is named .xlsx but its content is not an Excel workbook"
                f"{_content_hint(data)}. Save it again as .xlsx or as CSV."
            )
        table = _read_xlsx(
            data, max_rows=max_rows, max_unpacked=max_unpacked_bytes or max(50 * MB, 5 * max_bytes)
        )
    elif name.endswith((".csv", ".txt")):
        if is_zip or data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF")):
            raise FileRefused(
                f"{filename} is named .csv but its content{_content_hint(data)} is not text. "
                "Export the sheet as CSV, or upload the workbook with its .xlsx name."
            )
        table = _read_csv(data, max_rows=max_rows)
    else:
        raise FileRefused("Upload a .csv or .xlsx file.")
    if not table.headers or not any(h.strip() for h in table.headers):
        raise FileRefused("The file is empty: there is no header row.")
    if not table.rows:
        raise FileRefused("The file has a header row but no data rows.")
    return table


def _content_hint(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return " (it is a ZIP archive or workbook)"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return " (it is an old Excel .xls or Word file)"
    if data.startswith(b"%PDF"):
        return " (it is a PDF)"
    if b"\x00" not in data[:2048]:
        return " (it is plain text)"
    return ""


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode with the encoding the bytes carry: BOMs first, then UTF-8, UTF-16, Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "UTF-8 (with BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "UTF-16"
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") >= len(head) // 3:
        # Text without a BOM where every other byte is NUL is UTF-16; the NULs say which end.
        even_nuls = head[0::2].count(0)
        return _strict(data, "utf-16-be" if even_nuls > head[1::2].count(0) else "utf-16-le"), (
            "UTF-16"
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "The file's text encoding could not be recognised (it is neither UTF-8, UTF-16 nor "
            f"Windows-1252; first bad byte at position {exc.start}). Save it as CSV UTF-8."
        ) from exc


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"The file says it is {encoding.upper()} but byte {exc.start} is not valid "
            "in that encoding. Save it again as CSV UTF-8."
        ) from exc


def _read_csv(data: bytes, *, max_rows: int) -> Table:
    text, encoding = decode_text(data)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise FileRefused(
            f"The file contains a NUL byte on line {line}; it is damaged or not a CSV file."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    headers: list[str] | None = None
    try:
        for record in reader:
            if headers is None:
                headers = [h.strip() for h in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= max_rows:
                raise FileRefused(
                    f"The file has more than {max_rows:,} data rows; split it into smaller files."
                )
            rows.append(record)
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise FileRefused(
            f"The CSV is malformed near line {reader.line_num}: {exc}. "
            'Check for a quote (") that is opened and never closed.'
        ) from exc
    return Table(headers=headers or [], rows=rows, encoding=encoding, numbers=numbers)


def _check_zip(archive: zipfile.ZipFile, *, max_unpacked: int) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FileRefused("The workbook has an implausible number of parts; it was refused.")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > max_unpacked or (info.file_size > MB and ratio > MAX_ZIP_RATIO):
            raise FileRefused(
                "The workbook would expand to far more data than it holds (a ZIP bomb); "
                "it was refused before reading."
            )


def _check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse DTDs and entity declarations in any XML part before openpyxl parses it."""
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as part:
            head = part.read(4096)
        if _DTD.search(head):
            raise FileRefused(
                "The workbook contains XML entity declarations (an XML bomb); it was refused."
            )
        if info.filename in ("[Content_Types].xml", "xl/workbook.xml"):
            try:
                defused_fromstring(archive.read(info))
            except (DefusedXmlException, SyntaxError) as exc:
                raise FileRefused(f"The workbook's {info.filename} is not valid XML.") from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, *, max_rows: int, max_unpacked: int) -> Table:
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_zip(archive, max_unpacked=max_unpacked)
        _check_xml_parts(archive)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
        raise FileRefused(
            "The workbook is damaged or truncated and cannot be opened. Save it again."
        ) from exc
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        rows: list[list[str]] = []
        numbers: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if headers is None:
                if not any(c.strip() for c in cells):
                    continue
                headers = [c.strip() for c in cells]
                while headers and not headers[-1]:
                    headers.pop()
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= max_rows:
                raise FileRefused(
                    f"The file has more than {max_rows:,} data rows; split it into smaller files."
                )
            while len(cells) > len(headers) and not cells[-1].strip():
                cells.pop()
            rows.append(cells)
            numbers.append(number)
        workbook.close()
    except FileRefused:
        raise
    except DefusedXmlException as exc:
        raise FileRefused(
            "The workbook contains forbidden XML constructs; it was refused."
        ) from exc
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise FileRefused(
            f"The workbook could not be read ({type(exc).__name__}); save it again as .xlsx."
        ) from exc
    return Table(headers=headers or [], rows=rows, encoding="XLSX", numbers=numbers)
