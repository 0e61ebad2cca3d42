"""Write-once guard: a unique key recorded in the same transaction as the write it protects."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from bots.models import ProcessedRequest


def run_once(
    key: str, *, kind: str, slack_user_id: str = "", work: Callable[[], dict]
) -> tuple[bool, dict]:
    """Run `work` unless `key` was already processed; return (ran, result).

    The key row and the writes commit together: if the work fails, the key is rolled back too,
    so a corrected retry can succeed. A concurrent duplicate waits on the unique index, then sees
    the key taken. A repeat gets the first run's result back, to answer the same way.
    """
    key = key[:255]
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = ProcessedRequest.objects.create(
                    key=key, kind=kind, slack_user_id=slack_user_id
                )
        except IntegrityError:
            previous = ProcessedRequest.objects.filter(key=key).values_list("result", flat=True)
            return False, (previous.first() or {})
        result = work()
        row.result = result
        row.save(update_fields=["result"])
        return True, result


def already_processed(key: str) -> bool:
    return ProcessedRequest.objects.filter(key=key[:255]).exists()
