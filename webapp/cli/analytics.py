"""`flask analytics ...`: refresh the rollups, snapshot learner features."""

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from webapp.extensions import db


def _date(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc


@click.group("analytics")
def analytics() -> None:
    """Rollups for the dashboards and the learner feature store."""


@analytics.command("refresh")
@click.option("--from", "start", callback=_date, help="First local day (YYYY-MM-DD).")
@click.option("--to", "end", callback=_date, help="Last local day (YYYY-MM-DD); default today (UTC).")
@with_appcontext
def refresh_command(start: date | None, end: date | None) -> None:
    """Recompute the rollups (default: the last days and every missing day), then cohorts and flags."""
    from webapp.services.analytics.rollups import refresh

    if start and end and start > end:
        raise click.BadParameter("--from is after --to")
    stats = refresh(db.engine, start, end, progress=click.echo)
    click.echo(
        f"refreshed {stats.days} day(s) in {stats.chunks} chunk(s): {stats.rows:,} rows in "
        f"{stats.seconds:.2f} s ({stats.rows_per_second:,.0f} rows/s)"
    )


@analytics.command("features")
@click.option("--as-of", "as_of", callback=_date, required=True, help="Snapshot date (YYYY-MM-DD).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the snapshot as CSV.")
@with_appcontext
def features_command(as_of: date, output: Path | None) -> None:
    """Snapshot per-learner features as of a date (no data after it) and export them."""
    from webapp.services.analytics.features import snapshot, write_csv

    rows = snapshot(db.session, as_of)
    db.session.commit()
    click.echo(f"stored {len(rows):,} feature snapshots as of {as_of}")
    if output:
        with output.open("w", newline="", encoding="utf-8") as handle:
            write_csv(handle, rows)
        click.echo(f"wrote {output}")


@analytics.command("relocalise")
@click.argument("learner")
@with_appcontext
def relocalise_command(learner: str) -> None:
    """Redo a learner's stored local days with their current time zone (after a wrong zone was fixed).

    LEARNER is the platform's learner id or the learner's email.
    """
    from sqlalchemy import func, or_, select

    from webapp.auth.accounts import email_key
    from webapp.models import User
    from webapp.models.core.enums import Role
    from webapp.services.relocalise import relocalise

    query = select(User.id, User.timezone).where(
        User.role == Role.LEARNER,
        or_(User.external_id == learner, func.lower(User.email) == email_key(learner)),
    )
    found = db.session.execute(query).first()
    if found is None:
        raise click.ClickException(f"no learner with the id or email {learner!r}")
    moved = relocalise(db.session, found.id)
    db.session.commit()
    click.echo(
        f"{moved:,} rows moved to their local day in {found.timezone}; their days are marked for the jobs"
    )
