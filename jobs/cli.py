"""`flask --app server jobs list|run|runs`: the jobs for operators and tests, run once by name."""
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from .registry import JOBS

jobs_cli = AppGroup("jobs", help="Scheduled jobs (the scheduler itself is `python -m jobs`).")


@jobs_cli.command("list")
def list_jobs():
    """List the jobs with the schedule the environment gives them."""
    for spec in JOBS.values():
        click.echo(f"{spec.name:<16} {str(spec.schedule()):<40} {spec.help}")


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--now", "now", help="Run as if at this ISO time (with offset), e.g. to backfill.")
def run(name, now):
    """Run one job once, now, beside or without the scheduler (every job is idempotent)."""
    from server.scheduling.leadership import holder_id

    from .runner import run_job
    at = _parse_time(now) if now else None
    try:
        counts = run_job(current_app._get_current_object(), name, now=at,
                         holder=holder_id("cli:"))
    except Exception as exc:
        raise click.ClickException(f"job {name} failed: {type(exc).__name__}: {exc}")
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
    return parsed


def register_jobs_cli(app) -> None:
    app.cli.add_command(jobs_cli)
