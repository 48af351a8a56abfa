"""`flask jobs list|run NAME|status`: the background jobs from a shell."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.extensions import db
from webapp.jobs import control
from webapp.jobs.schedule import BY_NAME


@click.group("jobs")
def jobs() -> None:
    """Background jobs: their schedule, their runs, running one now."""


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


@jobs.command("list")
@with_appcontext
def list_command() -> None:
    """List every job: schedule, last run, duration, rows, next run, failures in 24 h."""
    click.echo(f"{'job':<22} {'every':<20} {'last run (UTC)':<20} {'status':<10} {'seconds':>8} "
               f"{'rows':>8} {'next run (UTC)':<20} {'fails 24h':>9}")  # fmt: skip
    for state in control.overview(db.session):
        last = state.runs.running or state.runs.last
        seconds = f"{last.seconds:.1f}" if last and last.seconds is not None else "-"
        started = _when(last.started_at if last else None)
        click.echo(f"{state.job.name:<22} {state.job.every:<20} {started:<20} "
                   f"{(last.status.value if last else 'never'):<10} {seconds:>8} "
                   f"{(last.rows_touched if last else 0):>8,} {_when(state.next_run):<20} "
                   f"{state.runs.failures_24h:>9}")  # fmt: skip


@jobs.command("run")
@click.argument("name")
@with_appcontext
def run_command(name: str) -> None:
    """Run one job now, here, under its lock; exit 1 if it fails or another run holds the lock."""
    if name not in BY_NAME:
        raise click.ClickException(f"no job {name!r}: one of {', '.join(BY_NAME)}")
    from webapp.jobs.tasks import TASKS

    result = TASKS[name].apply(kwargs={"trigger": "manual"}, throw=False)
    if result.failed():
        raise click.ClickException(f"{name} failed: {type(result.result).__name__}: {result.result}")
    record = result.result
    click.echo(json.dumps(record, default=str))
    if record.get("status") == "skipped":
        raise click.ClickException(f"{name} did not run: another run holds its lock")


@jobs.command("status")
@with_appcontext
def status_command() -> None:
    """Show the backlog and any failing job; exit 1 when a job's last run failed."""
    for label, count in control.backlog(db.session).items():
        click.echo(f"{label:<26} {count:>10,}")
    failing = [s for s in control.overview(db.session) if s.failing]
    for state in failing:
        click.echo(f"FAILING {state.job.name}: {state.runs.last.message}")
    click.echo(f"jobs run by: {_mode(current_app.config)}")
    if failing:
        raise SystemExit(1)


def _mode(config) -> str:
    broker = config.get("CELERY_BROKER_URL")
    if broker:
        return f"Celery workers (broker {broker.rpartition('@')[2]})"
    if config.get("JOBS_EMBEDDED"):
        return "the embedded scheduler of the web process (no broker)"
    return "nobody: no CELERY_BROKER_URL and no embedded scheduler; run them with `flask jobs run`"
