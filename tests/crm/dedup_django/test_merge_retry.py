"""A merge picked as a deadlock victim runs again; after MERGE_ATTEMPTS it is refused with a clear
message (shown in the admin like any refusal) and nothing is changed.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError

import crm.services.merge as merge_module
from crm.models import MergeRecord, Partner
from crm.services.merge import MERGE_ATTEMPTS, MergeConflict, partner_merge
from tests.factories import make_partner

SYSTEM = {"actor": None, "source": "command"}
pytestmark = pytest.mark.django_db(transaction=True)


class FakeDeadlock(Exception):
    sqlstate = "40P01"


def _deadlocking(monkeypatch, times: int) -> list:
    calls = []
    locked = merge_module._locked_pair

    def flaky(first, second):
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("deadlock detected") from FakeDeadlock()
        return locked(first, second)

    monkeypatch.setattr(merge_module, "_locked_pair", flaky)
    monkeypatch.setattr(merge_module, "MERGE_RETRY_PAUSE", 0)
    return calls


def test_a_deadlocked_merge_is_run_again_and_succeeds(monkeypatch):
    a, b = make_partner("Harbor Youth Services"), make_partner("Harbor Youth Services Inc")
    calls = _deadlocking(monkeypatch, times=MERGE_ATTEMPTS - 1)
    record = partner_merge(survivor=a, loser=b, field_choices={}, **SYSTEM)
    assert len(calls) == MERGE_ATTEMPTS
    assert Partner.objects.get(pk=b.pk).merged_into_id == record.survivor_id == a.pk


def test_a_merge_that_keeps_deadlocking_is_refused_with_a_clear_message(monkeypatch):
    a, b = make_partner("Harbor Youth Services"), make_partner("Harbor Youth Services Inc")
    calls = _deadlocking(monkeypatch, times=MERGE_ATTEMPTS)
    with pytest.raises(MergeConflict) as caught:
        partner_merge(survivor=a, loser=b, field_choices={}, **SYSTEM)
    assert len(calls) == MERGE_ATTEMPTS
    assert isinstance(caught.value, ValidationError)  # the admin shows it as a form error
    assert "Another merge touched these partners" in caught.value.messages[0]
    assert "Try again" in caught.value.messages[0]
    assert not MergeRecord.objects.exists()
    assert Partner.objects.get(pk=b.pk).merged_into_id is None


def test_other_database_errors_are_not_retried(monkeypatch):
    a, b = make_partner("Harbor Youth Services"), make_partner("Harbor Youth Services Inc")
    calls = []

    def broken(first, second):
        calls.append(1)
        raise OperationalError("disk full")

    monkeypatch.setattr(merge_module, "_locked_pair", broken)
    with pytest.raises(OperationalError):
        partner_merge(survivor=a, loser=b, field_choices={}, **SYSTEM)
    assert len(calls) == 1
