"""`flask --app server reports bench`: a year of a district in a scratch database, the figures
report over it timed (docs/reports.md)."""
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..identity.services import load_actor
from .bench import build_year, drop_report_indexes, drop_scratch, scratch_url, timed
from .exports import export_figures
from .ledger import ledger_rows
from .report import figures_report
from .request import resolve_request

reports_cli = AppGroup("reports", help="Reports: figures and the volunteer ledger.")


@reports_cli.command("bench")
@click.option("--streets", default=10, show_default=True)
@click.option("--communities", default=120, show_default=True)
@click.option("--residents", default=40, show_default=True, help="Households per community.")
@click.option("--volunteers", default=50, show_default=True, help="Volunteers per community.")
@click.option("--wishes-per-day", default=2, show_default=True, help="Per community.")
@click.option("--orders-per-day", default=1, show_default=True, help="Per community.")
@click.option("--days", default=365, show_default=True)
@click.option("--repeat", default=5, show_default=True)
@click.option("--without-indexes", is_flag=True, help="Drop migration 0017's indexes first.")
@click.option("--keep", is_flag=True, help="Keep the scratch database.")
def bench_command(repeat, without_indexes, keep, **size):
    """Build a year of a district in a scratch database and time the reports over it."""
    url = scratch_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    # The same app factory the CLI used, on the scratch database; found through the running app
    # rather than imported, as reports sit below the composition root (docs/architecture.md).
    factory = sys.modules[current_app.import_name].create_app
    scratch = factory({"SQLALCHEMY_DATABASE_URI": url})
    click.echo(f"scratch database: {scratch.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    try:
        with scratch.app_context():
            _run(repeat, without_indexes, size)
            db.session.remove()
            db.engine.dispose()
    finally:
        if not keep:
            drop_scratch(url)


def _run(repeat, without_indexes, size):
    db.create_all()
    seconds, _, counts = timed(lambda: _build(size), 1)
    click.echo(f"built in {seconds:.1f} s: " + ", ".join(
        f"{table} {n:,}" for table, n in counts.items() if table != "admin_id"))
    if without_indexes:
        drop_report_indexes()
        db.session.commit()
        click.echo("without the reports' indexes (migration 0017)")
    db.session.execute(db.text("ANALYZE"))
    db.session.commit()
    actor = lambda: load_actor(counts["admin_id"])  # noqa: E731  a fresh actor per session
    today = resolve_request(actor(), {}).today
    span = {"scope": "district", "id": 1, "from": today - timedelta(days=size["days"] - 1)}
    for group_by in ("day", "week", "month"):
        query = {**span, "group_by": group_by}
        med, best, rows = timed(lambda: figures_report(actor(), query), repeat)
        click.echo(f"figures, district, {size['days']} days by {group_by}: {len(rows)} rows, "
                   f"median {med * 1000:.0f} ms, best {best * 1000:.0f} ms")
    med, best, (_, body) = timed(lambda: export_figures(actor(), query), repeat)
    click.echo(f"figures.xlsx by month: {len(body) // 1024} KB, median {med * 1000:.0f} ms, "
               f"best {best * 1000:.0f} ms")
    med, best, rows = timed(lambda: ledger_rows(resolve_request(actor(), span)), repeat)
    click.echo(f"volunteer ledger, district, {size['days']} days: {len(rows):,} volunteers, "
               f"median {med * 1000:.0f} ms, best {best * 1000:.0f} ms")


def _build(size):
    counts = build_year(**size)
    db.session.commit()
    return counts

