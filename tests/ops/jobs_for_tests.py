"""Jobs the tests enqueue: one that fails a given number of times, one that notes its runs."""

from __future__ import annotations

from django.core.cache import cache

from ops.runs import job


class Flaky(Exception):
    pass


@job(retries=2, backoff=1)
def flaky(*, name: str, failures: int) -> dict:
    count = cache.get_or_set(f"flaky:{name}", 0)
    cache.set(f"flaky:{name}", count + 1)
    if count < failures:
        raise Flaky(f"attempt {count + 1} failed on purpose")
    return {"ran": count + 1}


@job(retries=0)
def note(*, name: str) -> dict:
    cache.set(f"note:{name}", cache.get(f"note:{name}", 0) + 1)
    return {"noted": name}


@job(retries=0)
def slow_note(*, path: str, seconds: float) -> dict:
    """Sleeps, then writes a file: long enough to kill its worker while it runs."""
    import time
    from pathlib import Path

    time.sleep(seconds)
    Path(path).write_text("ran")
    return {"wrote": path}
