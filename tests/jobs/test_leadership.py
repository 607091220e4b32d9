"""The leadership lock: one holder at a time, in one process and across real processes."""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs.registry import JOBS
from server.extensions import db as database
from server.scheduling.leadership import AdvisoryLock, FileLock, leadership_lock
from server.scheduling.models import JobRun

ROOT = Path(__file__).resolve().parents[2]


def test_file_lock_has_one_holder_at_a_time(tmp_path):
    first, second = FileLock(str(tmp_path / "db.jobs-lock")), FileLock(str(tmp_path / "db.jobs-lock"))
    assert first.try_acquire() and first.still_held()
    assert not second.try_acquire() and not second.still_held()
    first.release()
    assert second.try_acquire()
    assert str(os.getpid()) in (tmp_path / "db.jobs-lock").read_text()
    second.release()


def test_the_lock_fits_the_database(app, db):
    lock = leadership_lock(database.engine, app.instance_path)
    expected = AdvisoryLock if database.engine.dialect.name == "postgresql" else FileLock
    assert isinstance(lock, expected)
    lock.release()


def test_advisory_lock_has_one_holder_at_a_time(db):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    key = random.randint(1, 2**40)
    first, second = AdvisoryLock(database.engine.url, key), AdvisoryLock(database.engine.url, key)
    try:
        assert first.try_acquire() and first.still_held()
        assert not second.try_acquire() and not second.still_held()
        first.release()
        assert not first.still_held()
        assert second.try_acquire() and second.still_held()
    finally:
        first.release()
        second.release()


# --- two real scheduler processes against the test database ------------------------------------

def _start(name: str, tmp_path: Path, key: int) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    env = {**os.environ, "JOBS_OUTBOX_SECONDS": "1", "JOBS_HEARTBEAT_SECONDS": "1",
           "JOBS_LOCK_RETRY_SECONDS": "0.5", "JOBS_LOCK_KEY": str(key),
           "JOBS_DISABLE": ",".join(job for job in JOBS if job != "outbox")}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jobs"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    return proc, log


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _says(log: Path, text: str) -> bool:
    return text in log.read_text(errors="replace")


def _runs() -> list[JobRun]:
    database.session.rollback()  # a fresh snapshot
    return database.session.execute(database.select(JobRun).where(JobRun.job == "outbox")
                                    .order_by(JobRun.started_at)).scalars().all()


def _stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def test_two_schedulers_run_each_tick_once_and_the_standby_takes_over(db, tmp_path):
    key = random.randint(1, 2**40)
    first, first_log = _start("first", tmp_path, key)
    second = None
    try:
        _wait_for(lambda: _says(first_log, "leading as"), 90, "the first scheduler to lead")
        second, second_log = _start("second", tmp_path, key)
        _wait_for(lambda: _says(second_log, "standing by"), 90, "the second to stand by")
        _wait_for(lambda: len(_runs()) >= 5, 30, "five outbox ticks")
        time.sleep(1.5)
        runs = _runs()
        assert {r.holder.rsplit(":", 1)[1] for r in runs} == {str(first.pid)}
        gaps = [(b.started_at - a.started_at).total_seconds() for a, b in zip(runs, runs[1:])]
        assert min(gaps) > 0.5, gaps  # one run per one-second tick, never two
        assert not _says(second_log, "job outbox done")

        assert _stop(first) == 0
        handover = len(runs)
        _wait_for(lambda: _says(second_log, "leading as"), 30, "the standby to take over")
        _wait_for(lambda: len(_runs()) >= handover + 3, 30, "ticks from the new leader")
        by_pid = {}
        for r in _runs():
            by_pid.setdefault(r.holder.rsplit(":", 1)[1], []).append(r)
        assert set(by_pid) == {str(first.pid), str(second.pid)}
        earlier, later = by_pid[str(first.pid)], by_pid[str(second.pid)]
        assert later[0].started_at >= max(r.finished_at for r in earlier)
        assert _stop(second) == 0
    finally:
        _stop(first)
        if second is not None:
            _stop(second)


def test_a_leader_that_loses_its_lock_connection_exits_for_a_restart(db, tmp_path):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: a SQLite file lock cannot be lost while the process lives")
    key = random.randint(1, 2**40)
    proc, log = _start("leader", tmp_path, key)
    try:
        _wait_for(lambda: _says(log, "leading as"), 90, "the scheduler to lead")
        with database.engine.connect() as conn:
            conn.execute(database.text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND ((classid::bigint << 32) | objid::bigint) = :key"), {"key": key})
            conn.commit()
        assert proc.wait(timeout=30) == 3
        assert _says(log, "lost the leadership lock")
    finally:
        _stop(proc)
