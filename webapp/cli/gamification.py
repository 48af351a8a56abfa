"""`flask gamification ...`: rebuild the derived gamification state."""

import time
from datetime import date

import click
from flask.cli import with_appcontext

from webapp.extensions import db
from webapp.services.recompute import RecomputeError, recompute_all


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


@click.group("gamification")
def gamification() -> None:
    """Streaks, points, badges, leaderboards and mastery."""


@gamification.command("recompute")
@click.option("--since", metavar="DATE", help="Only re-derive activity from this date on (YYYY-MM-DD).")
@click.option("--today", metavar="DATE", hidden=True, help="Pretend today is this date (for tests).")
@with_appcontext
def recompute(since: str | None, today: str | None) -> None:
    """Rebuild derived state from raw activity; running it twice changes nothing."""
    since_day, today_day = _parse_day(since, "--since"), _parse_day(today, "--today")
    if since_day and since_day > (today_day or date.today()):
        raise click.ClickException(f"--since {since_day} is in the future")
    started = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        click.echo(f"  {step}: {done}/{total}", err=True)

    try:
        counts = recompute_all(db.session, since=since_day, today=today_day, progress=progress)
    except RecomputeError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"recomputed in {time.perf_counter() - started:.1f}s")
    for name, count in counts.items():
        click.echo(f"  {name:<22} {count:>10,} rows changed")
