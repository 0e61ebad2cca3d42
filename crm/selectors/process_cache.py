"""Values a process builds once and keeps in memory until their stamp changes: the caller reads a
cheap stamp from the database (a version, a count and last change) and a new stamp means rebuild."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class StampedCache(Generic[T]):
    """One value per process, rebuilt when asked for with a stamp other than the one it was
    built at. Thread-safe: concurrent requests with the same stamp build it once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: Hashable | None = None
        self._value: T | None = None

    def get(self, stamp: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if self._value is None or self._stamp != stamp:
                self._value = build()
                self._stamp = stamp
            return self._value

    def clear(self) -> None:
        """Forget the value (tests that roll back between cases)."""
        with self._lock:
            self._stamp = None
            self._value = None
