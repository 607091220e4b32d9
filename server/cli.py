"""Command-line tools: `flask --app server users grant ...`, `flask --app server demo load`."""
import click
from flask.cli import AppGroup

from .database import unit_of_work
from .errors import DomainError
from .identity.actor import SYSTEM
from .identity.models import Role
from .identity.roles import grant_role, revoke_role
from .policy.scope import ROLE_SCOPE_KINDS

users_cli = AppGroup("users", help="Users and roles.")
demo_cli = AppGroup("demo", help="The demo district.")


@users_cli.command("grant")
@click.option("--openid", required=True, help="The user's WeChat openid (created if new).")
@click.option("--role", required=True, type=click.Choice(
    [str(Role.VOLUNTEER), *(str(r) for r in ROLE_SCOPE_KINDS)]))
@click.option("--community", "community_id", type=int, help="Community id (scope).")
@click.option("--street", "street_id", type=int, help="Street id (scope, for street secretaries).")
@click.option("--district", "district_id", type=int, help="District id (scope, for admins).")
@click.option("--grid", "grid_id", type=int, help="Grid id (scope, for grid workers).")
@click.option("--unit", "unit_id", type=int, help="Unit id (scope, for unit secretaries).")
@click.option("--station", "station_id", type=int, help="Station id (scope, for station keepers).")
def grant(openid, role, community_id, street_id, district_id, grid_id, unit_id, station_id):
    """Grant a role to a user in a scope."""
    try:
        with unit_of_work():
            result = grant_role(SYSTEM, openid=openid, role=role, community_id=community_id,
                                street_id=street_id, district_id=district_id, grid_id=grid_id,
                                unit_id=unit_id, station_id=station_id)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} {exc.errors or ''}".strip())
    click.echo(f"granted {role} to {openid} (user {result.user_id})")


@users_cli.command("revoke")
@click.option("--grant-id", required=True, type=int)
def revoke(grant_id):
    """Revoke a role grant (takes effect on the holder's next request)."""
    try:
        with unit_of_work():
            revoke_role(SYSTEM, grant_id)
    except DomainError as exc:
        raise click.ClickException(exc.message)
    click.echo(f"revoked grant {grant_id}")


@demo_cli.command("load")
@click.option("--seed", default=20261122, show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo is already loaded.")
def load(seed, if_empty):
    """Load the demo district (a street of communities, volunteers, residents)."""
    from .demo import demo_loaded, load_demo  # start-up: the demo loads every capability
    with unit_of_work():
        if if_empty and demo_loaded():
            click.echo("demo district already loaded")
            return
        summary = load_demo(seed=seed, progress=click.echo)
    click.echo(summary)


@demo_cli.command("logins")
def logins():
    """Print the demo logins."""
    from .demo import DEMO_LOGINS  # start-up, as above
    for role, openid, note in DEMO_LOGINS:
        click.echo(f"  {role:<10} code fake:{openid}:<any-nonce>   {note}")


def register_cli(app) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    from .org.cli import org_cli  # start-up: the importer and its workbook reader
    app.cli.add_command(org_cli)
    from .donations.bench import donations_cli  # start-up: the benchmark (issue 14)
    app.cli.add_command(donations_cli)
    from .care.cli import care_cli  # start-up: care fund benchmark (issue 15)
    app.cli.add_command(care_cli)
    from .reports.cli import reports_cli  # issue 13: start-up, the benchmark's generator
    app.cli.add_command(reports_cli)
    from .checkins.cli import checkins_cli  # start-up: the check-in benchmark (part b)
    app.cli.add_command(checkins_cli)
