"""Leadership: exactly one scheduler process runs jobs; one started by mistake stands by.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a dedicated connection that
the leader holds for its lifetime. PostgreSQL drops the lock when that connection ends, so a
crashed or killed leader frees it at once, and no row is written to keep it.

SQLite: an exclusive `flock` on a file next to the database file (`<db>.jobs-lock`). A SQLite
database lives on one host, so every process that can open it can see the file; the kernel drops
the lock when the process dies. Chosen over a lease row because it needs no clock, no expiry to
tune and no heartbeat writes competing with the web workers for SQLite's single writer.
"""
import fcntl
import logging
import os
import socket
import threading

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from ..config import Settings

log = logging.getLogger(__name__)

# The JOBS_LOCK_KEY setting's default, written once in server/config.py.
DEFAULT_LOCK_KEY = Settings.jobs_lock_key


def holder_id(prefix: str = "") -> str:
    return f"{prefix}{socket.gethostname()}:{os.getpid()}"


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock on a connection of its own (autocommit, so the
    connection never sits idle in a transaction)."""

    def __init__(self, url, key: int = DEFAULT_LOCK_KEY):
        self._engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._key = key
        self._conn = None
        self._mutex = threading.Lock()  # the heartbeat and job threads share the connection

    def describe(self) -> str:
        return f"PostgreSQL advisory lock {self._key}"

    def try_acquire(self) -> bool:
        with self._mutex:
            try:
                if self._conn is None:
                    self._conn = self._engine.connect()
                return bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                               {"key": self._key}).scalar())
            except SQLAlchemyError as exc:
                log.warning("leadership lock: database unreachable (%s)", type(exc).__name__)
                self._drop()
                return False

    def still_held(self) -> bool:
        """True while our session holds the lock; False if the connection was lost."""
        with self._mutex:
            if self._conn is None:
                return False
            try:
                return bool(self._conn.execute(text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                    " AND pid = pg_backend_pid() AND granted AND objsubid = 1"
                    " AND ((classid::bigint << 32) | objid::bigint) = :key)"),
                    {"key": self._key}).scalar())
            except SQLAlchemyError:
                self._drop()
                return False

    def release(self) -> None:
        with self._mutex:
            if self._conn is not None:
                try:
                    self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
                except SQLAlchemyError:
                    pass
                self._drop()
        self._engine.dispose()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except SQLAlchemyError:
                pass
        self._conn = None


class FileLock:
    """An exclusive flock on a file; the file also names the holder, for operators."""

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None
        self._held = False

    def describe(self) -> str:
        return f"file lock {self.path}"

    def try_acquire(self) -> bool:
        if self._held:
            return True
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self._fd, 0)
        os.write(self._fd, (holder_id() + "\n").encode())
        self._held = True
        return True

    def still_held(self) -> bool:
        return self._held

    def release(self) -> None:
        if self._fd is not None:
            if self._held:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
        self._fd, self._held = None, False


def leadership_lock(engine, instance_path: str, key: int = DEFAULT_LOCK_KEY):
    """The lock that fits the app's database."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(url, key)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            database = os.path.join(instance_path, "memory.sqlite3")
        return FileLock(database + ".jobs-lock")
    raise RuntimeError(f"no leadership lock for {url.get_backend_name()}")
