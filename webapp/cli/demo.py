"""`flask --app wsgi demo seed`: fill an empty database with believable demo data."""

import sys
import time
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

import click

from webapp.cli.api_sender import api_sender
from webapp.extensions import db
from webapp.services.demo import (
    PUBLIC_SIZES,
    SIZES,
    STAFF,
    SeedReport,
    delete_all_rows,
    existing_emails,
    learner_count,
    seed_demo,
)
from webapp.services.demo.parallel import default_workers

demo = click.Group("demo", help="Demo data for trying the app out.")


@demo.command("seed")
@click.option(
    "--size",
    default="small",
    show_default=True,
    type=click.Choice(list(SIZES)),
    help=f"How much data: {', '.join(PUBLIC_SIZES)} (about 200, 2,000 or 20,000 learners).",
)
@click.option("--seed", "seed", default=42, show_default=True, type=int, help="Same seed, same data.")
@click.option(
    "--end-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day of the demo period (YYYY-MM-DD)  [default: yesterday, so that no activity lies ahead]",
)
@click.option("--reset", is_flag=True, help="Delete every data row first (the schema stays).")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when learners exist.")
@click.option(
    "--via-api",
    is_flag=True,
    help="Send the learners, memberships and activity through /api/v1 (in this process, with a"
    " temporary API client, unless --api-url is given); the social extras are left out.",
)
@click.option(
    "--api-url",
    default=None,
    metavar="URL",
    help="With --via-api: a running server's API root, e.g. http://127.0.0.1:8000/api/v1, with the token"
    " of a client holding both scopes in SHIKSHADISHA_API_TOKEN.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes: above 1, N-1 generate learners while this one writes them; the data is the same"
    " for any number  [default: one per core (at most 8) on 4 cores or more, else 1]",
)
def seed_command(
    size: str,
    seed: int,
    end_date,
    reset: bool,
    if_empty: bool,
    via_api: bool,
    api_url: str | None,
    workers: int | None,
) -> None:
    """Load demo learners, their activity and the gamification derived from it."""
    if api_url and not via_api:
        raise click.UsageError("--api-url goes with --via-api")
    if reset and if_empty:
        raise click.UsageError("--reset and --if-empty contradict each other; give one")
    existing = learner_count(db.session)
    if existing and if_empty:
        click.echo(f"The database already has {existing:,} learners: not seeding demo data.")
        _print_logins(only_existing=True)
        return
    if existing and not reset:
        raise click.ClickException(
            f"the database already has {existing:,} learners; pass --reset to replace all data with the demo"
        )
    if reset:
        click.echo("Deleting every data row (the schema stays)...", err=True)
        delete_all_rows(db.session)
    # Yesterday by default: a learner's whole local day of activity is then in the past.
    end = end_date.date() if end_date else datetime.now(UTC).date() - timedelta(days=1)
    click.echo(f"Seeding the {size} demo (seed {seed}, {SIZES[size].days} days ending {end})...", err=True)
    with api_sender(api_url) if via_api else nullcontext() as send:
        report = seed_demo(
            db.session, size, seed, end, progress=_Progress(), send=send, workers=workers or default_workers()
        )
    click.echo("", err=True)
    if via_api:
        click.echo(f"sent through the API: {send.sent} items in {send.calls} batches", err=True)
    _print_summary(report)
    _print_logins(only_existing=False)


class _Progress:
    """One self-rewriting line on stderr: step, done/total, rows and rows per second."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.shown = 0.0

    def __call__(self, step: str, done: int, total: int, rows: int) -> None:
        now = time.perf_counter()
        if now - self.shown < 0.2 and done < total:
            return
        self.shown = now
        width = 30
        filled = width * done // max(total, 1)
        rate = f"  {rows:>12,} rows  {rows / (now - self.started):>10,.0f} rows/s" if rows else ""
        line = f"\r{step:<18} [{'#' * filled}{'.' * (width - filled)}] {done:>7,}/{total:<7,}{rate}"
        sys.stderr.write(line)
        sys.stderr.flush()


def _print_summary(report: SeedReport) -> None:
    click.echo(f"\n{'table':<28}{'rows':>14}")
    for table, count in sorted(report.counts.items(), key=lambda item: -item[1]):
        if count:
            click.echo(f"{table:<28}{count:>14,}")
    click.echo(f"{'raw rows written':<28}{report.rows:>14,}")
    processes = f" ({report.workers} processes)" if report.workers > 1 else ""
    click.echo(f"{report.rows_per_second:,.0f} rows/s over {report.seconds:.1f} s{processes}")
    derived = sum(report.derived.values())
    click.echo(f"derived by the rules engine: {derived:,} rows in {report.derive_seconds:.1f} s")
    for name, count in sorted(report.derived.items()):
        click.echo(f"  {name:<26}{count:>14,}")


def _print_logins(only_existing: bool) -> None:
    emails = [email for _, email, *_ in STAFF]
    present = existing_emails(db.session, emails) if only_existing else set(emails)
    rows = [(email, role, password) for _, email, _, role, password in STAFF if email in present]
    if not rows:
        return
    click.echo("\nDemo staff logins (fixed demo passwords: change them before any real use):")
    for email, role, password in rows:
        click.echo(f"  {role:<9} {email:<34} {password}")
