"""Database engine set-up and the one-transaction-per-unit-of-work boundary.

SQLite: WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for units of work that write,
so two writers never both read a row and then collide on upgrading their lock.
"""
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from .config import settings
from .errors import Conflict
from .extensions import db
from .logsafe import install_log_redaction

write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def configure_engine(app) -> None:
    """Attach dialect-specific connection settings to the app's engine."""
    install_log_redaction()  # database errors are logged without the data they quote
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_ms = settings(app).sqlite_busy_timeout_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


@contextmanager
def unit_of_work(write: bool = True):
    """One transaction for a job run or CLI command: commit on success, roll back on error."""
    token = write_intent.set(write)
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        write_intent.reset(token)


def add_once(row, *, conflict: str | None = None):
    """Add `row` in a savepoint, so that a unique constraint refusing it (a dedupe key, a seat
    taken twice, a concurrent twin) undoes only this row: None then — or, given `conflict`, a 409
    with that message. The row otherwise."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        if conflict is not None:
            raise Conflict(conflict) from None
        return None
    return row
