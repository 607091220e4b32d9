"""Running one job once: an app context, one unit of work, its counts logged and recorded.

Used by the scheduler for every tick and by `flask --app server jobs run <name>`.
"""
import logging
import time
from datetime import datetime

from server.database import unit_of_work
from server.identity.actor import SYSTEM
from server.logsafe import safe_error
from server.scheduling.leadership import holder_id
from server.scheduling.services import record_job_run
from server.timeutil import utcnow

from .registry import JOBS

log = logging.getLogger("jobs")


def run_job(app, name: str, *, now: datetime | None = None, holder: str | None = None,
            guard=None, reraise: bool = True) -> dict | None:
    """Run job `name` once at `now` (default: the clock); None if `guard()` says not to."""
    spec = JOBS[name]
    holder = holder or holder_id()
    with app.app_context():
        if guard is not None and not guard():
            log.warning("job %s skipped: this process no longer holds the leadership lock", name)
            return None
        started, clock = utcnow(), time.monotonic()
        try:
            with unit_of_work():
                counts = spec.run(now or started)
        except Exception as exc:
            log.exception("job %s failed after %.2fs", name, time.monotonic() - clock)
            _record(name, holder, started, error=safe_error(exc))  # no data a DB error quotes
            if reraise:
                raise
            return None
        log.info("job %s done in %.2fs: %s", name, time.monotonic() - clock, _format(counts))
        _record(name, holder, started, counts=counts)
        return counts


def _record(name: str, holder: str, started: datetime, **outcome) -> None:
    # Its own small transaction: a failed job's rollback must not take its error row with it.
    try:
        with unit_of_work():
            record_job_run(SYSTEM, name, holder, started_at=started, **outcome)
    except Exception:
        log.exception("job %s: could not record the run", name)


def _format(counts: dict | None) -> str:
    return " ".join(f"{key}={value}" for key, value in (counts or {}).items()) or "-"
