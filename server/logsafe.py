"""No personal data in logs or stored errors (finding 20).

A database error's text carries data: SQLAlchemy appends the statement's parameters (turned off
for good by `hide_parameters=True` on the engine, server/extensions.py), and the driver's own
message can quote values too (PostgreSQL's "DETAIL: Key (phone)=(138…) already exists" or
"Failing row contains (…)"). So wherever a database error is written down, only its kind is:

- safe_error(exc): "IntegrityError (UniqueViolation, SQLSTATE 23505)", for job_runs.error;
- install_log_redaction(): a LogRecord factory, so every logger (the app's, the jobs', gunicorn's
  error log through the root logger, a test's caplog) gets a traceback whose last line is that
  safe text and whose database-error arguments are replaced by it.
"""
import logging
import traceback
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.exc import StatementError

_installed = False


def _database_error(exc: BaseException | None) -> StatementError | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, StatementError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def safe_error(exc: BaseException) -> str:
    """What may be stored or logged about an error: a database error by its kind only."""
    db_error = _database_error(exc)
    if db_error is None:
        return f"{type(exc).__name__}: {exc}"
    orig = getattr(db_error, "orig", None)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    kind = type(orig).__name__ if orig is not None else "statement"
    detail = f"{kind}, SQLSTATE {state}" if state else kind
    return f"{type(db_error).__name__} ({detail}); message withheld: it may quote personal data"


def _redact(record: logging.LogRecord) -> None:
    if record.args:
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if any(_database_error(a) for a in args if isinstance(a, BaseException)):
            record.args = tuple(safe_error(a) if isinstance(a, BaseException) else a
                                for a in args)
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        if _database_error(exc) is not None:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            record.exc_text = f"Traceback (most recent call last):\n{frames}{safe_error(exc)}"
            record.exc_info = None


def install_log_redaction() -> None:
    """Wrap the LogRecord factory once per process (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        _redact(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


_COORDINATES = frozenset({"lat", "lng", "latitude", "longitude", "lon"})


def coarse_query(query: str) -> str:
    """A query string for an access log: coordinates rounded to 0.01° (about 1 km, the precision
    DESIGN.md allows in public), anything unparseable among them replaced by `*`."""
    if not query:
        return query
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in _COORDINATES:
            try:
                number = float(value)
                value = f"{round(number, 2):.2f}" if abs(number) < 1e4 else "*"
            except ValueError:
                value = "*"
        pairs.append((key, value))
    return urlencode(pairs, safe="*,:")
