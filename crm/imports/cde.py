"""The CDE "Public Schools and Districts" columns, read alike by the import and by the reference
loader: the export's own headers and fixtures/la_county_*.csv's snake_case ones name one field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crm.imports.cells import boolean, coordinate, header_key, text

# An export header (as header_key reads it) → the field both loaders call it.
CDE_ALIASES = {
    "cdscode": "cds_code",
    "statustype": "status",
    "doctype": "district_type",
    "soctype": "school_type",
    "gsserved": "grades_served",
    "gsoffered": "grades_offered",
}

# Columns of either layout that Partnerbase does not keep.
CDE_IGNORED = frozenset(
    CDE_ALIASES.get(header_key(c), header_key(c))
    for c in (
        "NCESDist NCESSchool County StreetAbr State MailStreet MailStrAbr MailCity MailZip "
        "MailState Ext FaxNumber Email OpenDate ClosedDate CharterNum FundingType DOC SOC "
        "EdOpsCode EdOpsName EILCode EILName GSoffered Virtual Magnet YearRoundYN "
        "FederalDFCDistrictID AdmFName1 AdmLName1 AdmEmail1 AdmFName2 AdmLName2 AdmEmail2 "
        "AdmFName3 AdmLName3 AdmEmail3 LastUpDate "
        "nces_district_id nces_school_id open_date charter_number charter_funding_type "
        "education_option instruction_level last_update district_cds_code active_school_count"
    ).split()
)


def cde_key(header: str) -> str:
    """The field a CDE column holds, whichever layout the file uses."""
    key = header_key(header)
    return CDE_ALIASES.get(key, key)


def district_code_of(cds_code: str) -> str:
    """A school's district: the first seven digits of its CDS code, then zeros."""
    return cds_code[:7] + "0000000"


def place_text(row: Mapping[str, str]) -> dict[str, str]:
    """The address fields every school and district row carries."""
    return {f: text(row.get(f, "")) for f in ("street", "city", "zip", "phone", "website")}


def grades(row: Mapping[str, str]) -> str:
    """The grades a school serves; the offered ones when the file has no served column."""
    return text(row.get("grades_served", "")) or text(row.get("grades_offered", ""))


def cde_fields(
    row: Mapping[str, str], *, district: bool, read: Callable[..., Any]
) -> dict[str, Any]:
    """What one CDE row gives a district or a school (the school's district aside). Typed cells go
    through `read(column, reader, *args)`, so each loader reports a bad cell in its own way."""
    data = {
        **place_text(row),
        "latitude": read("latitude", coordinate, 90),
        "longitude": read("longitude", coordinate, 180),
    }
    status = text(row.get("status", ""))
    if status:
        data["status"] = status
    if district:
        data.update(
            name=text(row.get("district", "")), district_type=text(row.get("district_type", ""))
        )
    else:
        data.update(
            name=text(row.get("school", "")),
            school_type=text(row.get("school_type", "")),
            grades=grades(row),
            charter=bool(read("charter", boolean)),
        )
    return data
