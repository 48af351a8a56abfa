"""`flask data ...`: the raw activity's lifetime (partitions ahead, retention)."""

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from webapp.extensions import db


@click.group("data")
def data() -> None:
    """Raw activity tables: monthly partitions and retention."""


@data.command("retention")
@click.option(
    "--keep-months",
    type=int,
    required=True,
    help="Months of raw activity to keep before the current month (at least 1).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@with_appcontext
def retention_command(keep_months: int, dry_run: bool) -> None:
    """Remove raw activity older than N months (PostgreSQL: drop its partitions); rollups stay."""
    from webapp.services.partitions import apply_retention

    if keep_months < 1:
        raise click.ClickException(
            f"--keep-months must be at least 1 (got {keep_months}): the current month always stays"
        )
    today = datetime.now(UTC).date()
    try:
        with db.engine.connect() as connection:
            steps = apply_retention(connection, today, keep_months, dry_run=dry_run, say=click.echo)
            connection.commit()
    except OperationalError as exc:  # a lock not granted in time: nothing half-done is committed
        raise click.ClickException(f"retention stopped: {str(exc.orig).strip().splitlines()[0]}") from exc
    rows = sum(step.rows for step in steps)
    click.echo(f"{'would remove' if dry_run else 'removed'} {rows:,} raw rows in {len(steps)} step(s)")


@data.command("partitions")
@with_appcontext
def partitions_command() -> None:
    """Create this month's and the next 3 months' partitions now (what the raw_partitions job does)."""
    from webapp.services.partitions import ensure_partitions

    with db.engine.begin() as connection:
        created = ensure_partitions(connection, datetime.now(UTC).date())
    click.echo(f"created {len(created)} partition(s){': ' + ', '.join(created) if created else ''}")
