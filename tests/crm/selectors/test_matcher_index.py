"""The cached matcher index follows the database without rebuilding on every write."""

import datetime as dt
import gc

import time_machine
from django.db import OperationalError, transaction

from crm.models import Partner
from crm.selectors import matcher_index as selectors
from crm.services.partners import partner_update
from tests.factories import make_partner


def _names(index) -> set[str]:
    return {record.name for record in index}


def test_writes_through_services_update_the_same_index(db):
    harbor = make_partner("Harbor Food Bank")
    index = selectors.partner_index()
    partner_update(partner=harbor, actor=None, source="command", data={"name": "Harbor Pantry"})
    make_partner("Eastside Family Resource Center")
    again = selectors.partner_index()
    assert again is index
    assert _names(again) == {"Harbor Pantry", "Eastside Family Resource Center"}


def test_rows_written_behind_the_services_back_are_caught_up(db):
    index = selectors.partner_index()
    Partner.objects.bulk_create([Partner(name="Pomona Youth Arts", slug="pomona-youth-arts")])
    assert "Pomona Youth Arts" in _names(selectors.partner_index())
    assert selectors.partner_index() is index


def test_merged_away_partner_leaves_the_index(db):
    keep, lose = make_partner("Harbor Food Bank"), make_partner("Harbour Food Bank Inc")
    selectors.partner_index()
    Partner.objects.filter(pk=lose.pk).update(merged_into=keep, status="merged")
    selectors.partner_index_sync([lose.pk])
    assert _names(selectors.partner_index()) == {"Harbor Food Bank"}


def test_a_rolled_back_row_seen_by_the_index_forces_a_rebuild(db):
    make_partner("Harbor Food Bank")
    with transaction.atomic():
        make_partner("Ghost Org That Rolls Back")
        assert "Ghost Org That Rolls Back" in _names(selectors.partner_index())
        transaction.set_rollback(True)
    assert _names(selectors.partner_index()) == {"Harbor Food Bank"}


def test_unchanged_rows_in_the_recheck_window_are_not_refiled(db, monkeypatch):
    make_partner("Harbor Food Bank")
    index = selectors.partner_index()
    filed = []
    monkeypatch.setattr(index, "add", lambda record: filed.append(record.id))
    selectors.partner_index()
    assert filed == []


def test_a_large_build_pauses_the_collector_and_freezes_the_index(db, monkeypatch):
    make_partner("Harbor Food Bank")
    monkeypatch.setattr(selectors, "SETTLE_AT", 1)
    states = []
    real = selectors.MatchIndex

    def spy(records, **kwargs):
        states.append(gc.isenabled())
        return real(records, **kwargs)

    monkeypatch.setattr(selectors, "MatchIndex", spy)
    selectors.partner_index_clear()
    frozen = gc.get_freeze_count()
    try:
        index = selectors.partner_index()
        assert states == [False]
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
        assert _names(index) == {"Harbor Food Bank"}
    finally:
        gc.unfreeze()


def test_a_small_build_leaves_the_collector_alone(db, monkeypatch):
    make_partner("Harbor Food Bank")
    selectors.partner_index_clear()
    frozen = gc.get_freeze_count()
    selectors.partner_index()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_warming_builds_the_index_before_the_first_check(db):
    make_partner("Harbor Food Bank")
    selectors.partner_index_clear()
    assert selectors.partner_index_warm() is True
    assert _names(selectors._cache["index"]) == {"Harbor Food Bank"}


def test_warming_without_a_readable_database_is_logged_not_raised(monkeypatch, caplog):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "partner_index", unreachable)
    assert selectors.partner_index_warm() is False
    assert "not built at start: connection refused" in caplog.text


def test_a_bulk_write_is_reread_only_within_the_window_after_the_last_look(db, monkeypatch):
    read = []
    real = selectors._changed_since
    monkeypatch.setattr(
        selectors, "_changed_since", lambda since: read.append(real(since)) or read[-1]
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        Partner.objects.bulk_create(
            [
                Partner(name=f"Harbor Youth Arts {i}", slug=f"harbor-youth-arts-{i}")
                for i in range(3)
            ]
        )
        selectors.partner_index_clear()
        index = selectors.partner_index()
        clock.shift(dt.timedelta(seconds=10))
        selectors.partner_index()
        clock.shift(dt.timedelta(seconds=60))
        selectors.partner_index()
        clock.shift(dt.timedelta(seconds=1))
        selectors.partner_index()
        # Read while a look could have missed them (the one 10 s after), then never again.
        assert [len(rows) for rows in read] == [3, 3, 0]
        Partner.objects.bulk_create([Partner(name="Pomona Food Bank", slug="pomona-food-bank")])
        clock.shift(dt.timedelta(seconds=1))
        assert "Pomona Food Bank" in _names(selectors.partner_index())
        assert selectors.partner_index() is index
