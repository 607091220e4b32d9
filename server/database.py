"""Database engine set-up, the one-transaction-per-unit-of-work boundary, the small reads every
service repeats (`get_or_404`, `rows_of`, `add_once`), and the column groups and checks the
models share (`Keyed`, `InCommunity`, `Created`, `Authored`, `Updated`, `Reviewed`, `Decided`,
`Ended`, `known`).

SQLite: WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for units of work that write,
so two writers never both read a row and then collide on upgrading their lock.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .config import settings
from .errors import Conflict, NotFound
from .extensions import db
from .logsafe import install_log_redaction
from .timeutil import UTCDateTime, utcnow

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


def locked(model, ident):
    """The row of `model` with primary key `ident`, locked (SELECT … FOR UPDATE) and re-read, or
    None: of two steps on one row at once, the second waits and then sees the first's result."""
    return db.session.get(model, ident, with_for_update=True, populate_existing=True)


def get_or_404(model, ident, message: str, *, lock: bool = False):
    """The row of `model` with primary key `ident` (`lock`: locked and re-read), or a 404 with
    `message`."""
    row = locked(model, ident) if lock else db.session.get(model, ident)
    if row is None:
        raise NotFound(message)
    return row


def rows_of(model, *where, order_by=None, lock: bool = False) -> list:
    """Every row of `model` matching `where`, in `order_by` (default: by id); `lock`: FOR UPDATE
    (what a leaver holds, released one by one)."""
    query = db.select(model).where(*where).order_by(model.id if order_by is None else order_by)
    return list(db.session.execute(query.with_for_update() if lock else query).scalars())


# --- what every table's model is built from (server/*/models.py) -------------------------------

def quoted(values) -> str:
    """`'a','b'`: the values of an enum (or any strings) for a CHECK's `in (…)`."""
    return ",".join(f"'{v}'" for v in values)


def known(values, column: str = "status", name: str | None = None) -> CheckConstraint:
    """CHECK that `column` holds one of `values` (an enum's), named `<column>_known`."""
    return CheckConstraint(f"{column} in ({quoted(values)})", name=name or f"{column}_known")


class Keyed:
    """The surrogate key of a table (first among its columns)."""
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)


class InCommunity:
    """The community the row belongs to (its scope for staff), indexed for the lists."""
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)


class Created:
    """When the row was made."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Authored(Created):
    """Who made the row (a user; none for the system), and when."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Updated:
    """When the row last changed (set by the services that change it)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reviewed:
    """A reviewer's decision on the row: who, when, and the reason given."""
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str | None] = mapped_column(String(200))


class Decided:
    """A decision on a proposal or a report: who took it, when, and the reason given."""
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(String(200))


class Ended:
    """When a holding (a claim, a seat, a pairing) ended, and why."""
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(200))
