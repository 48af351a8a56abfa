"""Seeding the demo: catalogue, staff, learners and their activity, then the derived state."""

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from webapp.services.demo import duels, notify, social
from webapp.services.demo.activity import LearnerGenerator
from webapp.services.demo.catalogue import write_catalogue
from webapp.services.demo.context import Context
from webapp.services.demo.database import analyze_all, bulk_loading, deferred_indexes, reset_sequences
from webapp.services.demo.parallel import can_fork, write_learners_in_parallel
from webapp.services.demo.people import write_groups, write_staff
from webapp.services.demo.sizes import SIZES
from webapp.services.demo.via_api import ApiWriter, Send
from webapp.services.demo.writer import BulkWriter
from webapp.services.partitions import ensure_months
from webapp.services.recompute import recompute_all

# progress(step, done, total, rows_written)
Progress = Callable[[str, int, int, int], None]
FLUSH_ROWS = 200_000


@dataclass
class SeedReport:
    """What the seed wrote and how fast."""

    counts: dict[str, int]
    seconds: float
    derived: dict[str, int] | None = None
    derive_seconds: float = 0.0
    learners: int = 0
    workers: int = 1
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Raw rows written by the generator."""
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        """Raw rows written per second of the generation phase."""
        return self.rows / self.seconds if self.seconds else 0.0


def seed_demo(
    session: Session,
    size: str,
    seed: int,
    end: date,
    progress: Progress | None = None,
    derive: bool = True,
    send: Send | None = None,
    workers: int = 1,
) -> SeedReport:
    """Fill an empty database with demo data ending on `end`; derive the gamification state.

    With `send`, learners and their activity go through the ingest API (see `via_api`).
    With `workers` above 1, `workers - 1` processes generate the learners while this one writes
    them (see `parallel`): the same rows, sooner.
    """
    spec = SIZES[size]
    report = _note = progress or (lambda *_: None)
    started = time.perf_counter()
    with session.get_bind().connect() as connection, bulk_loading(connection):
        rows = [0]

        def on_rows(count: int) -> None:
            rows[0] += count

        writer = BulkWriter(connection, on_rows) if send is None else ApiWriter(connection, on_rows, send)
        ctx = Context(writer, spec, seed, end)
        _write_setup(ctx)
        # PostgreSQL: the raw events' monthly partitions of the demo's days (with a day either side).
        ensure_months(connection, end - timedelta(days=spec.days + 1), end + timedelta(days=1))
        connection.commit()
        parallel = send is None and workers > 1 and can_fork()
        built = lambda done, total: _note("indexes", done, total, rows[0])  # noqa: E731
        with deferred_indexes(connection, built) if send is None else nullcontext():
            if parallel:
                worker_rows = rows[0]

                def tick(done: int, written: int) -> None:
                    _note("learners", done, spec.learners, worker_rows + written)

                write_learners_in_parallel(ctx, workers, tick)
                rows[0] = sum(ctx.writer.counts.values())
            else:
                _write_learners(ctx, lambda done: _note("learners", done, spec.learners, rows[0]))
            connection.commit()
            if send is None:  # connections, duels, notices name learners by the seed's own ids
                _write_social(ctx)
                _note("social", 1, 1, rows[0])
        reset_sequences(connection)
        connection.commit()
    report = SeedReport(
        dict(ctx.writer.counts),
        time.perf_counter() - started,
        learners=spec.learners,
        workers=workers if parallel else 1,
    )
    report.extra["insert_seconds"] = ctx.writer.seconds
    if derive:
        begun = time.perf_counter()
        report.derived = derive_state(session, end, progress)
        report.derive_seconds = time.perf_counter() - begun
    analyze_all(session)
    return report


def _write_setup(ctx: Context) -> None:
    write_staff(ctx)
    modules = write_catalogue(ctx)
    write_groups(ctx, modules)
    ctx.writer.flush()


def _write_learners(ctx: Context, tick: Callable[[int], None]) -> None:
    """Generate learners in order, flushing big batches and committing every chunk."""
    generator = LearnerGenerator(ctx)
    writer, chunk = ctx.writer, ctx.size.chunk
    for index in range(ctx.size.learners):
        ctx.learners.append(generator.generate(index))
        done = index + 1
        if done % chunk == 0 or done == ctx.size.learners:
            writer.flush()
            writer.connection.commit()
        elif writer.buffered() >= FLUSH_ROWS:
            writer.flush()
        if done % 10 == 0 or done == ctx.size.learners:
            tick(done)


def _write_social(ctx: Context) -> None:
    """Connections, duels, notifications and feeds: they need every learner to exist."""
    followers = social.write_connections(ctx)
    notifier = notify.Notifier(ctx)
    notify.write_follow_notices(ctx, notifier, followers)
    social.write_joins(ctx)
    duels.write_duels(ctx, notifier)
    notify.write_reminders(ctx, notifier)
    social.write_feeds(ctx, followers)  # last: it also formats the shared activities' times
    social.write_adjustments(ctx)
    ctx.writer.flush()


def derive_state(session: Session, today: date, progress: Progress | None = None) -> dict[str, int]:
    """Run the rules engine over the raw activity; return what it wrote per step."""
    note = progress or (lambda *_: None)
    result = recompute_all(
        session, since=None, today=today, progress=lambda step, done, total: note(step, done, total, 0)
    )
    session.commit()
    return result
