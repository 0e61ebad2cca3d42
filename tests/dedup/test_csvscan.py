"""CSV scanning of raw exports: BOMs, embedded newlines, empty cells, missing columns."""

import gc
import io

import pytest

from crm.dedup import csvscan
from crm.dedup.cluster import Cluster
from crm.dedup.csvscan import scan_csv, write_pairs

RAW = (
    "\ufeffID,Organization Name,Website,Address,Phone\r\n"
    '1,"  The Boys & Girls Club\nof Burbank, Inc. ",https://www.bgcburbank.org,"123 Main St, Burbank, CA 91502",\r\n'  # noqa: E501
    "2,Boys and Girls Club of Burbank,bgcburbank.org,,818-555-1200\r\n"
    "3,,,,\r\n"
    ",No Id Org,,,\r\n"
    "4,Heart of Los Angeles,,,\r\n"
)


@pytest.mark.parametrize("as_bytes", [True, False])
def test_scan_csv_handles_bom_newlines_and_empty_cells(as_bytes: bool) -> None:
    stream = io.BytesIO(RAW.encode("utf-8")) if as_bytes else io.StringIO(RAW.lstrip("\ufeff"))
    pairs = scan_csv(
        stream=stream,
        id_column="ID",
        name_column="Organization Name",
        website_column="Website",
        address_column="Address",
        phone_column="Phone",
    )
    assert [(p.left_id, p.right_id, p.level) for p in pairs] == [("1", "2", "likely")]
    assert any(r.startswith("same website domain (bgcburbank.org) +") for r in pairs[0].reasons)


def test_scan_csv_reads_a_path_without_bom(tmp_path) -> None:
    path = tmp_path / "partners.csv"
    path.write_text(RAW.lstrip("\ufeff"), encoding="utf-8")
    assert len(scan_csv(stream=str(path), id_column="id", name_column="organization name")) == 1


def test_missing_column_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no column 'EIN'.*ein_column"):
        scan_csv(
            stream=io.StringIO(RAW),
            id_column="ID",
            name_column="Organization Name",
            ein_column="EIN",
        )


def test_write_pairs_text_and_binary() -> None:
    pairs = scan_csv(
        stream=io.StringIO(RAW),
        id_column="ID",
        name_column="Organization Name",
        website_column="Website",
    )
    text = io.StringIO()
    assert write_pairs(pairs, text) == 1
    lines = text.getvalue().splitlines()
    assert lines[0] == "left_id,right_id,score,level,reasons,probability"
    assert lines[1].endswith(f",{pairs[0].probability:.4f}")
    assert lines[1].startswith(f"1,2,{pairs[0].score:g},likely,")
    assert "; same website domain (bgcburbank.org) +" in lines[1]
    binary = io.BytesIO()
    write_pairs(pairs, binary)
    assert binary.getvalue().decode("utf-8") == text.getvalue()


def test_write_pairs_adds_a_cluster_column_when_given_clusters() -> None:
    pairs = scan_csv(stream=io.StringIO(RAW), id_column="ID", name_column="Organization Name")
    text = io.StringIO()
    write_pairs(pairs, text, clusters=[Cluster(key="1", members=("1", "2"), best=99.0)])
    lines = text.getvalue().splitlines()
    assert lines[0].endswith(",probability,cluster_id") and lines[1].endswith(",1")


def test_a_large_enough_file_trains_its_own_model(monkeypatch) -> None:
    trained = []
    real = csvscan.train

    def spy(records, **kwargs):
        trained.append(len(records))
        return real(records, **kwargs)

    monkeypatch.setattr(csvscan, "train", spy)
    monkeypatch.setattr(csvscan, "TRAIN_AT", 2)
    pairs = scan_csv(stream=io.StringIO(RAW), id_column="ID", name_column="Organization Name")
    assert trained == [3] and len(pairs) == 1


def test_the_scan_runs_with_the_collector_paused_and_restores_it(monkeypatch) -> None:
    seen = []
    real = csvscan._scan_file

    def spy(**kwargs):
        seen.append(gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(csvscan, "_scan_file", spy)
    assert gc.isenabled()
    pairs = scan_csv(stream=io.StringIO(RAW), id_column="ID", name_column="Organization Name")
    assert seen == [False]
    assert gc.isenabled()
    assert pairs
    with pytest.raises(ValueError):
        scan_csv(stream=io.StringIO(RAW), id_column="ID", name_column="Nope")
    assert gc.isenabled()


def test_a_collector_paused_elsewhere_stays_paused() -> None:
    gc.disable()
    try:
        with csvscan.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
