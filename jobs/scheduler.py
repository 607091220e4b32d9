"""`python -m jobs`: one BlockingScheduler in one process, behind a leadership lock.

The process first takes the leadership lock (server/scheduling/leadership.py). While another
scheduler holds it, this one stands by and tries again every JOBS_LOCK_RETRY_SECONDS. Once it
leads, it runs the enabled jobs of jobs/registry.py on their schedules and checks every
JOBS_HEARTBEAT_SECONDS (and before every run) that it still holds the lock; if it lost it (e.g.
its database connection dropped), it stops and exits 3 so that its supervisor restarts it as a
standby. SIGTERM/SIGINT stop it cleanly and free the lock.
"""
import logging
import signal
import threading
import time

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from server import create_app
from server.config import settings
from server.extensions import db
from server.scheduling.leadership import holder_id, leadership_lock
from server.timeutil import LOCAL_TZ

from .registry import Cron, JobSpec, enabled_jobs
from .runner import run_job

log = logging.getLogger("jobs")
EXIT_LOST_LEADERSHIP = 3


def trigger_for(schedule):
    if isinstance(schedule, Cron):
        return CronTrigger.from_crontab(schedule.expr, timezone=LOCAL_TZ)
    return IntervalTrigger(seconds=schedule.seconds, timezone=LOCAL_TZ)


def build_scheduler(app, specs: list[JobSpec], lock, holder: str) -> BlockingScheduler:
    """A BlockingScheduler with one APScheduler job per spec, each run through run_job."""
    scheduler = BlockingScheduler(
        timezone=LOCAL_TZ,
        executors={"default": ThreadPoolExecutor(settings().jobs_threads)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": settings().jobs_misfire_grace_seconds})
    for spec in specs:
        schedule = spec.schedule()
        scheduler.add_job(run_job, trigger_for(schedule), id=spec.name, name=spec.name,
                          args=[app, spec.name],
                          kwargs={"holder": holder, "guard": lock.still_held, "reraise": False})
        log.info("job %s scheduled %s: %s", spec.name, schedule, spec.help)
    return scheduler


def wait_for_leadership(lock, stop: threading.Event, retry_s: float) -> bool:
    """Take the lock, standing by while another process holds it; False if asked to stop."""
    last_said = None
    while not lock.try_acquire():
        if last_said is None or time.monotonic() - last_said >= 60:
            log.info("standing by: another scheduler holds the %s; retrying every %ss",
                     lock.describe(), retry_s)
            last_said = time.monotonic()
        if stop.wait(retry_s):
            return False
    return True


def _watch(scheduler, lock, lost: threading.Event) -> None:
    if not lock.still_held():
        log.error("lost the leadership lock; stopping so that a standby can lead")
        lost.set()
        scheduler.shutdown(wait=False)


def main() -> int:
    logging.basicConfig(level=settings().log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app()
    # run_job logs every run with its counts; APScheduler's own per-run lines would repeat them.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    with app.app_context():
        lock = leadership_lock(db.engine, app.instance_path,
                               key=settings().jobs_lock_key)
        specs = enabled_jobs()
        heartbeat_s = settings().jobs_heartbeat_seconds
        retry_s = settings().jobs_lock_retry_seconds
    stop, lost, running = threading.Event(), threading.Event(), []

    def _on_signal(signum, _frame):
        log.info("signal %s: stopping", signal.Signals(signum).name)
        stop.set()
        for scheduler in running:
            if scheduler.running:
                scheduler.shutdown(wait=True)  # let runs in flight finish before the lock goes

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    holder = holder_id()
    try:
        if not wait_for_leadership(lock, stop, retry_s):
            return 0
        log.info("leading as %s (%s); %d jobs", holder, lock.describe(), len(specs))
        scheduler = build_scheduler(app, specs, lock, holder)
        scheduler.add_job(_watch, IntervalTrigger(seconds=heartbeat_s), id="_heartbeat",
                          args=[scheduler, lock, lost])
        running.append(scheduler)
        if not stop.is_set():
            scheduler.start()
    finally:
        lock.release()
    log.info("scheduler stopped")
    return EXIT_LOST_LEADERSHIP if lost.is_set() else 0
