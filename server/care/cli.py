"""`flask --app server care bench`: the care fund's city-year benchmark (docs/care.md)."""
import click
from flask.cli import AppGroup

from .bench import run_bench

care_cli = AppGroup("care", help="The care fund and casework.")


@care_cli.command("bench")
@click.option("--households", default=50_000, show_default=True)
@click.option("--contributions", default=500_000, show_default=True)
@click.option("--payments", default=48_704, show_default=True)
def bench_command(households, contributions, payments):
    """A city's year bulk-inserted, then one batch through the real services, and the report."""
    click.echo(run_bench(households, contributions, payments))
