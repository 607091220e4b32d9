"""`flask --app server jobs list|run|runs`: the jobs for operators and tests, run once by name.

`jobs run --now` takes a past time only (to backfill, e.g. a missed figures snapshot). A time in
the future is refused: every job acts on live data, and "now + 3 days" would release real claims
and expire real wishes ahead of time. There is no dry run: a job's effects reach WeChat (the
outbox, the token) and could not be rolled back, so refusing is the one safe answer.
"""
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from server.logsafe import safe_error
from server.timeutil import utcnow

from .registry import JOBS

# Clock skew between the operator's host and the server's: a minute ahead is still "now".
FUTURE_LEEWAY = timedelta(seconds=60)

jobs_cli = AppGroup("jobs", help="Scheduled jobs (the scheduler itself is `python -m jobs`).")


@jobs_cli.command("list")
def list_jobs():
    """List the jobs with the schedule the environment gives them."""
    for spec in JOBS.values():
        click.echo(f"{spec.name:<16} {str(spec.schedule()):<40} {spec.help}")


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--now", "now",
              help="Run as if at this past ISO time (with offset), e.g. to backfill; "
                   "a future time is refused.")
def run(name, now):
    """Run one job once, now, beside or without the scheduler (every job is idempotent)."""
    from server.scheduling.leadership import holder_id

    from .runner import run_job
    at = _parse_time(now) if now else None
    try:
        counts = run_job(current_app._get_current_object(), name, now=at,
                         holder=holder_id("cli:"))
    except Exception as exc:
        raise click.ClickException(f"job {name} failed: {safe_error(exc)}")
    click.echo(f"{name}: " + (" ".join(f"{k}={v}" for k, v in counts.items()) or "done"))


@jobs_cli.command("runs")
@click.option("--job", type=click.Choice(sorted(JOBS)))
@click.option("--limit", default=20, show_default=True)
def runs(job, limit):
    """Show the last runs from the run log."""
    from server.scheduling.services import last_runs
    for r in last_runs(job, limit):
        outcome = " ".join(f"{k}={v}" for k, v in r.counts.items()) if r.ok else f"ERROR {r.error}"
        click.echo(f"{r.started_at:%Y-%m-%d %H:%M:%S}Z {r.job:<16} {r.holder:<28} {outcome}")


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO time such as 2026-11-22T23:55:00+08:00",
                                 param_hint="--now")
    if parsed.tzinfo is None:
        raise click.BadParameter("give the offset, e.g. +08:00", param_hint="--now")
    if parsed > utcnow() + FUTURE_LEEWAY:
        raise click.BadParameter("a future time would act on live data ahead of time; "
                                 "only the present or a past time can be given",
                                 param_hint="--now")
    return parsed


def register_jobs_cli(app) -> None:
    app.cli.add_command(jobs_cli)
