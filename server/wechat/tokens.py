"""Where the access token is cached: a protocol, and the in-process store for tests and one worker.

Every web worker and the jobs process should share one store (the database-backed one lives with
the application), so that they all use the one stable token instead of each fetching its own.
"""
from __future__ import annotations

import threading
from typing import Protocol


class TokenStore(Protocol):
    """Shared cache of the app's stable access token.

    ``get()`` returns ``(token, expires_at)`` with ``expires_at`` in epoch seconds, or None when
    nothing is stored. ``put(token, expires_at)`` replaces what is stored; the client puts
    ``expires_at=0`` to drop a token that WeChat rejected, so a store needs nothing else.
    """

    def get(self) -> tuple[str, float] | None: ...

    def put(self, token: str, expires_at: float) -> None: ...


class MemoryTokenStore:
    """A TokenStore in this process's memory (tests, development, a single worker)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple[str, float] | None = None

    def get(self) -> tuple[str, float] | None:
        with self._lock:
            return self._entry

    def put(self, token: str, expires_at: float) -> None:
        with self._lock:
            self._entry = (token, float(expires_at))
