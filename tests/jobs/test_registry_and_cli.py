"""The registry's schedules from the environment, the runner's run log, and `flask jobs`."""
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from jobs.registry import JOBS, Cron, Every, JobSpec, enabled_jobs
from jobs.runner import run_job
from jobs.scheduler import build_scheduler, trigger_for
from server.extensions import db
from server.scheduling.models import JobRun
from server.timeutil import LOCAL_TZ, utcnow
from server.wishes.models import WishStatus
from tests.factories import make_wish

from .helpers import run


def test_every_job_has_a_default_schedule_and_help():
    assert {"outbox", "reminders", "expiry", "no_shows", "token", "prune_keys", "prune_runs",
            "figures"} <= set(JOBS)
    for spec in JOBS.values():
        assert isinstance(spec.schedule({}), (Every, Cron)) and spec.help


def test_schedules_come_from_the_environment():
    outbox, expiry = JOBS["outbox"], JOBS["expiry"]
    assert outbox.schedule({}) == Every(30)
    assert outbox.schedule({"JOBS_OUTBOX_SECONDS": "5"}) == Every(5)
    assert outbox.schedule({"JOBS_OUTBOX_CRON": "* * * * *"}) == Cron("* * * * *")
    assert expiry.schedule({"JOBS_EXPIRY_CRON": "0 * * * *"}) == Cron("0 * * * *")
    with pytest.raises(ValueError):
        outbox.schedule({"JOBS_OUTBOX_SECONDS": "5", "JOBS_OUTBOX_CRON": "* * * * *"})
    with pytest.raises(ValueError):
        outbox.schedule({"JOBS_OUTBOX_SECONDS": "0"})


def test_jobs_can_be_disabled_by_name():
    names = [spec.name for spec in enabled_jobs({"JOBS_DISABLE": "figures, token"})]
    assert "figures" not in names and "token" not in names and "outbox" in names
    with pytest.raises(ValueError):
        enabled_jobs({"JOBS_DISABLE": "no_such_job"})


def test_cron_is_local_time():
    trigger = trigger_for(Cron("55 23 * * *"))
    assert isinstance(trigger, CronTrigger)
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 20, 12, 0, tzinfo=LOCAL_TZ))
    assert (fire.hour, fire.minute, fire.utcoffset()) == (23, 55, timedelta(hours=8))
    assert isinstance(trigger_for(Every(30)), IntervalTrigger)


def test_scheduler_runs_each_job_once_at_a_time(app):
    class _Lock:
        def still_held(self):
            return True
    scheduler = build_scheduler(app, list(JOBS.values()), _Lock(), "test")
    assert scheduler._job_defaults["coalesce"] is True
    assert scheduler._job_defaults["max_instances"] == 1
    assert scheduler._job_defaults["misfire_grace_time"] == 300
    assert {job.id for job in scheduler.get_jobs()} == set(JOBS)
    assert not scheduler.running  # building never starts it; only `python -m jobs` does


def test_each_run_is_recorded_with_its_counts(db):
    run("expiry")
    [row] = db.session.execute(db.select(JobRun)).scalars().all()
    assert (row.job, row.holder, row.ok, row.counts) == ("expiry", "test", True, {"expired": 0})


def test_a_failing_job_rolls_back_and_records_its_error(app, world, monkeypatch):
    wish = make_wish(world, status="open", needed_by=utcnow() - timedelta(minutes=1))
    db.session.commit()

    def expire_then_fail(now):
        JOBS["expiry"].run(now)
        raise RuntimeError("boom")
    monkeypatch.setitem(JOBS, "broken", JobSpec("broken", expire_then_fail, Every(60), "fails"))
    with pytest.raises(RuntimeError):
        run_job(app, "broken", holder="test")
    assert run_job(app, "broken", holder="test", reraise=False) is None  # the scheduler's way
    db.session.expire_all()
    assert db.session.get(type(wish), wish.id).status == WishStatus.OPEN
    rows = db.session.execute(db.select(JobRun)).scalars().all()
    assert [(r.ok, r.error) for r in rows] == [(False, "RuntimeError: boom")] * 2


def test_a_process_that_lost_the_lock_skips_the_run(app, db):
    assert run_job(app, "expiry", holder="test", guard=lambda: False) is None
    assert db.session.execute(db.select(JobRun)).scalars().all() == []


def test_cli_runs_a_job_by_name(app, world):
    make_wish(world, status="open", needed_by=utcnow() - timedelta(minutes=1))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "expiry"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "expiry: expired=1"
    assert runner.invoke(args=["jobs", "run", "expiry"]).output.strip() == "expiry: expired=0"
    row = db.session.execute(db.select(JobRun).order_by(JobRun.id)).scalars().first()
    assert row.holder.startswith("cli:")


def test_cli_runs_a_job_at_a_given_time(app, world):
    result = app.test_cli_runner().invoke(
        args=["jobs", "run", "figures", "--now", "2026-11-20T23:55:00+08:00"])
    assert result.exit_code == 0, result.output
    assert "day=2026-11-20 communities=3 written=3" in result.output
    bad = app.test_cli_runner().invoke(args=["jobs", "run", "figures", "--now", "2026-11-20"])
    assert bad.exit_code != 0 and "offset" in bad.output


def test_cli_lists_jobs_and_refuses_unknown_names(app, db, monkeypatch):
    monkeypatch.setenv("JOBS_OUTBOX_SECONDS", "7")
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "list"]).output
    assert "outbox" in listing and "every 7s" in listing and "figures" in listing
    assert runner.invoke(args=["jobs", "run", "nope"]).exit_code == 2
    run("expiry")
    assert "expiry" in runner.invoke(args=["jobs", "runs"]).output
