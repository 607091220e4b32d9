"""`flask --app server org import FILE.xlsx --kind ...` and `flask --app server org bench`."""
import click
from flask.cli import AppGroup

from ..database import unit_of_work
from ..errors import DomainError
from ..identity.actor import SYSTEM
from .bench import run_bench
from .imports import services
from .imports.progress import commit_progress

org_cli = AppGroup("org", help="The org tree: Excel imports.")


@org_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", required=True, type=click.Choice(
    ["communities", "units", "volunteers", "residents"]))
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
def import_command(path, kind, dry_run):
    """Import a workbook (the same checks and all-or-nothing rule as the API)."""
    with open(path, "rb") as handle:
        data = handle.read()

    def checkpoint(run):
        commit_progress(run)
        click.echo(f"  {run.processed} rows read")
    try:
        with unit_of_work():
            run = services.start_import(SYSTEM, kind, path, dry_run)
            run = services.run_import(SYSTEM, run, data, checkpoint=checkpoint)
            summary = (run.status, run.rows, run.created, run.updated, list(run.errors))
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {exc.errors or ''}".strip())
    status, rows, created, updated, errors = summary
    for error in errors:
        click.echo(f"  第 {error['row']} 行 [{error['column']}] {error['message']}")
    click.echo(f"{status}: {rows} rows, {created} created, {updated} updated, "
               f"{len(errors)} errors")
    if errors:
        raise SystemExit(1)


@org_cli.command("bench")
@click.option("--rows", default=10_000, show_default=True)
def bench_command(rows):
    """Generate a volunteer roster of ROWS members and import it: rows/s and peak memory."""
    click.echo(run_bench(rows))
