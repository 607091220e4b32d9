"""`flask --app server checkins bench`: the service-day check-in benchmark."""
import click
from flask.cli import AppGroup

from .bench import run_bench

checkins_cli = AppGroup("checkins", help="Service-day check-ins (报到).")


@checkins_cli.command("bench")
@click.option("--members", default=6665, show_default=True, help="Members checking in.")
@click.option("--minutes", default=10.0, show_default=True,
              help="The span over which they arrive (at random).")
@click.option("--clients", default=32, show_default=True, help="Concurrent client threads.")
@click.option("--seed", default=1, show_default=True)
@click.option("--url", default=None,
              help="Base URL of a running server on the same database (e.g. gunicorn); "
                   "default: the app in this process.")
def bench_command(members, minutes, clients, seed, url):
    """A day of check-ins through the whole app; prints throughput and latency percentiles."""
    click.echo(run_bench(members, minutes, clients, seed, url))
