"""The spreadsheet mode of find_duplicates: raw CSV in, PAIRS.csv out, clear errors."""

import csv

import pytest
from django.core.management import CommandError, call_command

ROWS = (
    "\ufeffID,Org Name,Web\r\n"
    "1,  Boys & Girls Club of Burbank ,bgcburbank.org\r\n"
    '2,"boys and girls club of burbank, Inc.",https://www.bgcburbank.org/about\r\n'
    "3,Los Angeles Regional Food Bank,\r\n"
    '4,"Totally\nDifferent Arts Collective",\r\n'
)


def test_writes_flagged_pairs_with_header(tmp_path):
    source = tmp_path / "orgs.csv"
    source.write_bytes(ROWS.encode("utf-8"))
    output = tmp_path / "pairs.csv"
    call_command(
        "find_duplicates",
        csv=str(source),
        id_column="ID",
        name_column="Org Name",
        website_column="Web",
        output=str(output),
        verbosity=0,
    )
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "left_id",
        "right_id",
        "score",
        "level",
        "reasons",
        "probability",
        "cluster_id",
    ]
    assert rows[1][6] == "1"
    assert {(r[0], r[1]) for r in rows[1:]} == {("1", "2")}
    assert rows[1][3] == "likely"
    assert rows[1][4]


def test_missing_column_is_a_clear_error(tmp_path):
    source = tmp_path / "orgs.csv"
    source.write_text("ID,Name\n1,Acme\n", encoding="utf-8")
    with pytest.raises(CommandError, match="EIN"):
        call_command(
            "find_duplicates",
            csv=str(source),
            id_column="ID",
            name_column="Name",
            ein_column="EIN",
            output=str(tmp_path / "out.csv"),
            verbosity=0,
        )


def test_unwritable_output_is_a_clear_error(tmp_path):
    source = tmp_path / "orgs.csv"
    source.write_text("ID,Name\n1,Acme\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no-such-folder"):
        call_command(
            "find_duplicates",
            csv=str(source),
            id_column="ID",
            name_column="Name",
            output=str(tmp_path / "no-such-folder" / "out.csv"),
            verbosity=0,
        )
