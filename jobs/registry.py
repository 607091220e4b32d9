"""Every job the scheduler runs: name → function and default schedule. Adding a job is one line
here (plus its module): JobSpec(name, function, Every(seconds) or Cron("m h dom mon dow"), help).

A job function takes `now` (an aware UTC datetime), makes ONE service call and returns its counts;
jobs/runner.py gives it the app context and the transaction. Every schedule can be changed from
the environment: JOBS_<NAME>_SECONDS=n (every n seconds) or JOBS_<NAME>_CRON="m h dom mon dow"
(crontab in Asia/Shanghai time); JOBS_DISABLE=name,name turns jobs off.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping

from server.config import settings

from . import (
    care,  # care fund and casework (issue 15)
    figures,
    housekeeping,
    matching,
    orders,
    outbox,
    pairings,  # volunteer service system (issue 16a)
    stars,  # volunteer service system, part b
    tokens,
    wishes,
)


@dataclass(frozen=True)
class Every:
    seconds: int

    def __str__(self) -> str:
        return f"every {self.seconds}s"


@dataclass(frozen=True)
class Cron:
    expr: str  # five crontab fields, Asia/Shanghai

    def __str__(self) -> str:
        return f"cron '{self.expr}' (Asia/Shanghai)"


@dataclass(frozen=True)
class JobSpec:
    name: str
    run: Callable[[datetime], dict]
    default: Every | Cron
    help: str

    @property
    def env_prefix(self) -> str:
        return f"JOBS_{self.name.upper()}"

    def schedule(self, environ: Mapping[str, str] | None = None) -> Every | Cron:
        """The schedule the settings (JOBS_<NAME>_SECONDS / _CRON) ask for, else the default."""
        environ = settings().job_schedules if environ is None else environ
        seconds = environ.get(f"{self.env_prefix}_SECONDS", "").strip()
        cron = environ.get(f"{self.env_prefix}_CRON", "").strip()
        if seconds and cron:
            raise ValueError(f"set {self.env_prefix}_SECONDS or {self.env_prefix}_CRON, not both")
        if seconds:
            if int(seconds) < 1:
                raise ValueError(f"{self.env_prefix}_SECONDS must be at least 1")
            return Every(int(seconds))
        return Cron(cron) if cron else self.default


JOBS: dict[str, JobSpec] = {spec.name: spec for spec in (
    JobSpec("outbox", outbox.send_outbox, Every(30),
            "send due outbox messages through WeChat (43101 final, backoff on -1/timeouts)"),
    JobSpec("reminders", wishes.remind_wishes, Every(900),
            "remind volunteers of claimed wishes due within WISH_REMINDER_HOURS"),
    JobSpec("expiry", wishes.expire_wishes, Cron("*/10 * * * *"),
            "expire unclaimed wishes past their deadline and tell their owners"),
    JobSpec("no_shows", wishes.release_no_shows, Cron("15 * * * *"),
            "release claims with no progress for WISH_NO_SHOW_DAYS (no-show)"),
    JobSpec("order_reminders", orders.remind_orders, Every(900),
            "remind residents and volunteers of orders starting within ORDER_REMINDER_HOURS"),
    JobSpec("token", tokens.refresh_token, Every(120),
            "refresh the WeChat access token ahead of its expiry"),
    JobSpec("prune_keys", housekeeping.prune_idempotency_keys, Cron("30 3 * * *"),
            "delete idempotency keys older than 24 hours"),
    JobSpec("prune_runs", housekeeping.prune_run_log, Cron("40 3 * * *"),
            "delete job run log rows older than JOBS_RUNS_KEEP_DAYS"),
    JobSpec("retention", housekeeping.enforce_retention, Cron("50 3 * * *"),
            "erase or delete what the retention table (docs/security.md) no longer keeps"),
    JobSpec("matching", matching.run_matching, Cron("0 7,13,19 * * *"),
            "a matching run per community with open tasks; proposals wait for secretaries"),
    JobSpec("figures", figures.snapshot, Cron("55 23 * * *"),
            "snapshot the day's figures of every community"),
    # volunteer service system (issue 16a)
    JobSpec("pairing_visits", pairings.remind_visits, Cron("0 9 * * *"),
            "remind paired volunteers of visits due within a day or overdue (once per due date)"),
    # care fund and casework (docs/care.md)
    JobSpec("care_revisits", care.revisits, Cron("30 8 * * *"),
            "remind contact persons of revisits due; tell unit secretaries of overdue ones"),
    JobSpec("care_report", care.year_report, Cron("0 9 1 3 *"),
            "draft last year's care fund report of every fund (each 1 March)"),
    # volunteer service system, part b
    JobSpec("star_period", stars.open_period, Cron("0 6 1 6,12 *"),
            "open the 争六星 period of the half-year (June: YYYYH1, December: YYYYH2)"),
)}


def enabled_jobs(environ: Mapping[str, str] | None = None) -> list[JobSpec]:
    names = settings().jobs_disable if environ is None else environ.get("JOBS_DISABLE", "")
    disabled = {name.strip() for name in names.split(",") if name.strip()}
    unknown = disabled - set(JOBS)
    if unknown:
        raise ValueError(f"JOBS_DISABLE names unknown jobs: {', '.join(sorted(unknown))}")
    return [spec for name, spec in JOBS.items() if name not in disabled]
