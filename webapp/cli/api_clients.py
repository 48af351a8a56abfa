"""`flask api-clients ...`: the ingest API's clients from the command line (deploys, scripts, the bench).

Admins do the same in the admin (API clients). A token is printed once, on creation or
rotation, and never again: only its hash is stored.
"""

import click
from pydantic import ValidationError
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ApiClient
from webapp.models.core.enums import ApiScope
from webapp.models.ingest.schemas import ApiClientFields
from webapp.services.ingest.clients import ClientError, create_client, revoke, rotate_token

api_clients = click.Group("api-clients", help="Create, rotate and revoke ingest API clients.")
SCOPES = [scope.value for scope in ApiScope]


def _client(name: str) -> ApiClient:
    client = db.session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        raise click.ClickException(f"no API client named {name!r}")
    return client


@api_clients.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(SCOPES), help="Repeat for several.")
@click.option("--rate-limit", type=int, default=600, show_default=True, help="Requests per minute.")
@click.option("--allow", "networks", multiple=True, help="An address or network it may call from (repeat).")
def create(name: str, scopes: tuple[str, ...], rate_limit: int, networks: tuple[str, ...]) -> None:
    """Create a client and print its token (once)."""
    try:
        fields = ApiClientFields(
            name=name, scopes=list(scopes), allowed_networks=list(networks), rate_limit_per_minute=rate_limit
        )
        client, token = create_client(db.session, fields, created_by_id=None)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise click.ClickException(f"{'.'.join(map(str, error['loc']))}: {error['msg']}") from exc
    except ClientError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created API client {client.name!r} ({', '.join(client.scopes)}). Its token, shown once:")
    click.echo(token)


@api_clients.command("rotate")
@click.argument("name")
def rotate(name: str) -> None:
    """Give a client a new token (the old one stops working) and print it (once)."""
    try:
        token = rotate_token(db.session, _client(name))
    except ClientError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(token)


@api_clients.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoke a client: its token is refused from now on."""
    revoke(db.session, _client(name))
    db.session.commit()
    click.echo(f"Revoked API client {name!r}.")


@api_clients.command("list")
def list_clients() -> None:
    """List the clients: name, token prefix, scopes, state, last use."""
    for client in db.session.scalars(select(ApiClient).order_by(ApiClient.name)):
        state = "revoked" if client.revoked_at else "active"
        used = f"{client.last_used_at:%Y-%m-%d %H:%M} UTC" if client.last_used_at else "never used"
        click.echo(
            f"{client.name:<30} {client.token_prefix}…  {','.join(client.scopes):<28} {state:<8} {used}"
        )
