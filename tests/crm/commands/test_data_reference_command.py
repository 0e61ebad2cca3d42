"""load_reference_data: every district and school of the CDE files, idempotent, all-or-nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from crm.models import AuditEntry, District, EquityFocusGroup, School, ServiceCategory
from crm.services.reference import (
    DISTRICTS_CSV,
    EQUITY_FOCUS_GROUPS,
    SCHOOLS_CSV,
    SERVICE_CATEGORIES,
)

pytestmark = pytest.mark.django_db


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out, **options)
    return out.getvalue()


def csv_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path, rows: list[dict]) -> str:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def small_files(tmp_path):
    """The real district file and the first 30 schools: enough to exercise every rule quickly."""
    schools = csv_rows(SCHOOLS_CSV)[:30]
    return tmp_path, schools


def test_loads_every_row_and_a_second_run_changes_nothing():
    districts, schools = csv_rows(DISTRICTS_CSV), csv_rows(SCHOOLS_CSV)
    first = load()
    assert District.objects.count() == len(districts) == 101
    assert School.objects.count() == len(schools) == 2326
    assert set(School.objects.values_list("cds_code", flat=True)) == {
        r["cds_code"] for r in schools
    }
    assert f"Schools: {len(schools)} created, 0 updated, 0 unchanged" in first
    audit = AuditEntry.objects.count()
    assert AuditEntry.objects.filter(action="school.create", channel="command").count() == 2326

    second = load()
    assert District.objects.count() == len(districts)
    assert School.objects.count() == len(schools)
    assert AuditEntry.objects.count() == audit
    assert f"Schools: 0 created, 0 updated, {len(schools)} unchanged" in second
    assert "nothing changed" in second


def test_fields_and_district_link_come_from_the_file(small_files):
    tmp, schools = small_files
    load(schools=write_csv(tmp / "s.csv", schools))
    row = schools[1]
    school = School.objects.select_related("district").get(cds_code=row["cds_code"])
    assert school.name == row["school"]
    assert school.district.cds_code == row["district_cds_code"]
    assert school.charter is (row["charter"] == "Y")
    assert school.grades == row["grades_served"]
    assert str(school.latitude).startswith(row["latitude"][:7])
    assert school.slug.endswith(row["cds_code"][-7:])


def test_a_changed_row_is_updated_and_audited(small_files):
    tmp, schools = small_files
    path = write_csv(tmp / "s.csv", schools)
    load(schools=path)
    schools[0]["school"] = "Renamed Community School"
    out = load(schools=write_csv(tmp / "s.csv", schools))
    assert "Schools: 0 created, 1 updated, 29 unchanged" in out
    school = School.objects.get(cds_code=schools[0]["cds_code"])
    assert school.name == "Renamed Community School"
    assert school.slug.startswith("renamed-community-school-")
    entry = AuditEntry.objects.get(action="school.update")
    assert entry.changes["name"][1] == "Renamed Community School"


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("cds_code", "19ABC", "is not 14 digits"),
        ("district_cds_code", "19999999999999", "is not a known district"),
        ("charter", "maybe", "charter must be Y or N"),
        ("latitude", "north", "is not a coordinate"),
        ("school", "", "the school name is empty"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(small_files, column, value, expected):
    tmp, schools = small_files
    schools[7][column] = value
    with pytest.raises(CommandError) as caught:
        load(schools=write_csv(tmp / "bad.csv", schools))
    message = str(caught.value)
    assert "bad.csv line 9" in message
    assert expected in message
    assert "nothing was loaded" in message
    assert District.objects.count() == 0
    assert School.objects.count() == 0
    assert ServiceCategory.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_repeated_cds_code_names_both_lines(small_files):
    tmp, schools = small_files
    schools[5]["cds_code"] = schools[2]["cds_code"]
    with pytest.raises(CommandError, match="line 7.*same cds_code is on line 4"):
        load(schools=write_csv(tmp / "dup.csv", schools))
    assert School.objects.count() == 0


def test_a_missing_column_or_file_is_a_clear_error(small_files):
    tmp, schools = small_files
    without = [{k: v for k, v in row.items() if k != "charter"} for row in schools]
    with pytest.raises(CommandError, match="missing column.*charter"):
        load(schools=write_csv(tmp / "nocol.csv", without))
    with pytest.raises(CommandError, match="Cannot read"):
        load(schools=str(tmp / "nowhere.csv"))
    assert District.objects.count() == 0


def test_vocabularies_are_seeded_in_both_languages_once(small_files):
    tmp, schools = small_files
    path = write_csv(tmp / "s.csv", schools)
    load(schools=path)
    assert ServiceCategory.objects.count() == len(SERVICE_CATEGORIES)
    assert EquityFocusGroup.objects.count() == len(EQUITY_FOCUS_GROUPS)
    assert ServiceCategory.objects.get(slug="mental-health").name_es == "Salud mental"
    assert EquityFocusGroup.objects.get(slug="foster-youth").name == "Foster youth"
    assert not EquityFocusGroup.objects.filter(name_es="").exists()
    ServiceCategory.objects.filter(slug="housing").update(name_es="")
    out = load(schools=path)
    assert "Service categories: 0 created, 1 updated" in out
    assert ServiceCategory.objects.get(slug="housing").name_es == "Vivienda"
