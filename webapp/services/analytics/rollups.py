"""`analytics refresh`: raw activity -> learner_days -> daily, hourly and breakdown rollups,
then the retention cohorts and the at-risk flags as of the last complete day.

A refresh works through chunks of consecutive local days. Each chunk is one
transaction that no other refresh runs beside (PostgreSQL: an advisory lock;
SQLite: BEGIN IMMEDIATE): it stages the chunk's raw rows once, rewrites its
learner_days, upserts its daily_metrics on (day, scope), and rewrites its
hourly and breakdown rows. Running a refresh twice changes nothing; two at once
queue on the lock. By default a refresh recomputes a trailing window (for late
data) and every day missing since the first recorded activity.

Evaluations (`evaluate`) run once per as-of day, never on every run: the cohorts when the
last complete day has moved on, the at-risk rules for each complete day of the last
RISK_HISTORY_DAYS that has no evaluation yet. A refresh of an explicit range (a backfill)
also recomputes every evaluation that reads its days, and the cohorts from its first week,
always as of the last complete day: a backfill never makes a newer figure older. Late data
for a day already evaluated shows in the evaluations of the days after it. On PostgreSQL the
refresh then ANALYZEs the tables it rewrote a tenth or more of (ANALYZE_SHARE of the days they
hold: a full refresh, a backfill, a first run), since pages plan their queries on the statistics
and autovacuum may take minutes to notice a rewrite; a day's refresh rewrites a few percent and
leaves them to autovacuum (an ANALYZE of every rollup costs more than the day's refresh). It then
clears the report cache.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import has_app_context
from sqlalchemy import Connection, Engine, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from webapp.models.analytics.metrics import PLATFORM_SCOPE, DailyMetric
from webapp.services.analytics import cohorts, risk
from webapp.services.analytics.asof import complete_through
from webapp.services.analytics.breakdowns import add_distributions, add_medians, write_breakdowns
from webapp.services.analytics.daily import add_actives, add_learner_day_figures, blank_metrics
from webapp.services.analytics.sql import Dialect, as_date, connection, locked_transaction
from webapp.services.analytics.stage import drop_staging, stage_raw, write_learner_days
from webapp.services.cache import invalidate_reports

TRAILING_DAYS = 3
# How far back a refresh fills in missing at-risk evaluations (the longest preset range).
RISK_HISTORY_DAYS = 90
CHUNK_DAYS = 31
UPSERT_BATCH = 500
# What a chunk rewrites, and what the evaluations rewrite (ANALYZEd after a refresh that rewrote
# at least ANALYZE_SHARE of the days they hold).
ANALYZE_SHARE = 0.1
CHUNK_TABLES = (
    "learner_days", "daily_metrics", "hourly_metrics", "content_type_metrics", "points_reason_metrics",
)  # fmt: skip
EVALUATION_TABLES = ("retention_cohorts", "learner_risk_flags", "risk_evaluations")

Progress = Callable[[str], None]


@dataclass
class RefreshStats:
    """What one refresh did."""

    days: int = 0
    chunks: int = 0
    as_of: date | None = None
    evaluated_days: int = 0
    rows: int = 0
    seconds: float = 0.0
    chunk_log: list[str] = field(default_factory=list)
    analyzed: tuple[str, ...] = ()

    @property
    def rows_per_second(self) -> float:
        """Rows written per second of wall time."""
        return self.rows / self.seconds if self.seconds else 0.0


def utc_today() -> date:
    """Return today's date in UTC."""
    return datetime.now(UTC).date()


def plan_days(conn: Connection, d: Dialect, today: date, trailing: int = TRAILING_DAYS) -> list[date]:
    """Return the days a default refresh recomputes: the trailing window and every missing day."""
    first = conn.execute(text("SELECT MIN(started_at) FROM learning_sessions")).scalar()
    days = {today - timedelta(days=k) for k in range(trailing)}
    if first is None:
        return sorted(days)
    start = (first if isinstance(first, datetime) else datetime.fromisoformat(first)).date()
    start -= timedelta(days=1)  # local days run up to 14 hours behind UTC
    rows = conn.execute(
        text("SELECT day FROM daily_metrics WHERE scope = :s AND day >= :lo"),
        {"s": PLATFORM_SCOPE, "lo": d.day(start)},
    )
    have = {as_date(day) for (day,) in rows}
    day = start
    while day <= today:
        if day not in have:
            days.add(day)
        day += timedelta(days=1)
    return sorted(days)


def chunks(days: list[date], size: int = CHUNK_DAYS) -> list[tuple[date, date]]:
    """Split sorted days into runs of consecutive days, each at most size days long."""
    out: list[tuple[date, date]] = []
    for day in days:
        if out and day == out[-1][1] + timedelta(days=1) and (day - out[-1][0]).days < size:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def _upsert_metrics(conn: Connection, d: Dialect, rows: list[dict]) -> None:
    """Upsert the chunk's metric rows on (day, scope): one statement, executed for many rows.

    The statement has one row of VALUES, so SQLAlchemy compiles it once (and caches it); a
    multi-row VALUES of UPSERT_BATCH rows cost more to compile than to run.
    """
    if not rows:
        return
    insert = pg_insert if d.pg else sqlite_insert
    now = datetime.now(UTC)
    stmt = insert(DailyMetric.__table__)
    keep = {"id", "day", "scope"}
    update = {c.name: stmt.excluded[c.name] for c in DailyMetric.__table__.columns if c.name not in keep}
    stmt = stmt.on_conflict_do_update(index_elements=["day", "scope"], set_=update)
    for i in range(0, len(rows), UPSERT_BATCH):
        conn.execute(stmt, [{**row, "computed_at": now} for row in rows[i : i + UPSERT_BATCH]])


def refresh_chunk(conn: Connection, d: Dialect, lo: date, hi: date) -> int:
    """Recompute every rollup of local days lo..hi in one locked transaction; return rows written."""
    with locked_transaction(conn, d):
        params = stage_raw(conn, d, lo, hi)
        rows = write_learner_days(conn, d, params)
        metrics = blank_metrics(conn, lo, hi)
        add_learner_day_figures(conn, d, params, metrics)
        add_actives(conn, d, lo, hi, metrics)
        add_medians(conn, d, params, metrics)
        add_distributions(conn, params, metrics)
        _upsert_metrics(conn, d, list(metrics.values()))
        rows += len(metrics) + write_breakdowns(conn, d, params)
        drop_staging(conn, d)
    return rows


def _planned(conn: Connection, d: Dialect, start, end, days, today: date) -> list[date]:
    if days is not None:
        return sorted(set(days))
    if start is None and end is None:
        return plan_days(conn, d, today)
    lo, hi = start or end or today, end or today
    return [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]


def _risk_days(conn: Connection, d: Dialect, as_of: date, backfill: tuple[date, date] | None) -> list[date]:
    """The as-of days to evaluate: missing ones of the recent history, and every one a backfill feeds."""
    first = as_of - timedelta(days=RISK_HISTORY_DAYS - 1)
    have = risk.evaluated_days(conn, d, first, as_of)
    wanted = {first + timedelta(days=k) for k in range(RISK_HISTORY_DAYS)} - have
    if backfill is not None:
        lo, hi = backfill[0], min(backfill[1] + timedelta(days=risk.LOOKBACK_DAYS), as_of)
        wanted |= {lo + timedelta(days=k) for k in range((hi - lo).days + 1)}
    return sorted(wanted)


def evaluate(
    conn: Connection, d: Dialect, as_of: date, backfill: tuple[date, date] | None = None
) -> tuple[int, int]:
    """Bring cohorts and at-risk flags up to as_of (see the module docstring); return (rows, days)."""
    rows = 0
    with locked_transaction(conn, d):
        if backfill is not None and backfill[0] <= as_of:
            rows += cohorts.write_cohorts(conn, d, as_of, min(backfill[0], cohorts.cohort_start(as_of)))
        elif cohorts.latest_as_of(conn) != as_of:
            rows += cohorts.write_cohorts(conn, d, as_of)
    days = [day for day in _risk_days(conn, d, as_of, backfill) if day <= as_of]
    for k in range(0, len(days), CHUNK_DAYS):
        with locked_transaction(conn, d):
            rows += risk.write_flags(conn, d, days[k : k + CHUNK_DAYS])
    if days or risk.stored_rule_windows(conn, as_of) is None:  # any flag of its windows may have changed
        with locked_transaction(conn, d):
            risk.write_rule_windows(conn, d, as_of)
    return rows, len(days)


def refresh(
    engine: Engine,
    start: date | None = None,
    end: date | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    days: list[date] | None = None,
) -> RefreshStats:
    """Refresh the rollups (start..end, or days, or the trailing window + missing days), then the
    cohorts and at-risk flags as of the last complete day; clear the report cache; return stats.

    `today` (UTC) makes the run as of that date: the last complete day is then the day before.
    Takes the engine, not a session: the refresh commits chunk by chunk on its own connection.
    """
    stats = RefreshStats()
    began = time.perf_counter()
    with connection(engine) as (conn, d):
        as_of = today - timedelta(days=1) if today else complete_through(conn)
        planned = _planned(conn, d, start, end, days, today or utc_today())
        for lo, hi in chunks(planned):
            _refresh_logged(conn, d, lo, hi, stats, progress)
        stats.days = len(planned)
        explicit = start is not None or end is not None
        backfill = (planned[0], planned[-1]) if explicit and planned else None
        rows, stats.evaluated_days = evaluate(conn, d, as_of, backfill)
        stats.rows += rows
        stats.as_of = as_of
        if progress:
            progress(f"cohorts and at-risk flags as of {as_of}: {stats.evaluated_days} day(s) evaluated")
        stats.analyzed = analyze(conn, d, stale_tables(conn, d, stats.days, stats.evaluated_days))
    # Pages cache what they read; a refresh is what changes it (no app: no cache to clear).
    if has_app_context():
        invalidate_reports()
    stats.seconds = time.perf_counter() - began
    return stats


def stale_tables(conn: Connection, d: Dialect, days: int, evaluated_days: int) -> tuple[str, ...]:
    """The tables whose statistics a refresh of so many days (and evaluations) made stale: those
    it rewrote at least ANALYZE_SHARE of the days of (none on SQLite)."""
    if not d.pg:
        return ()
    held = conn.execute(text("SELECT COUNT(*) FROM daily_metrics WHERE scope = :s"), {"s": PLATFORM_SCOPE})
    evaluations = conn.execute(text("SELECT COUNT(*) FROM risk_evaluations")).scalar() or 0
    chunk = CHUNK_TABLES if days and days >= ANALYZE_SHARE * (held.scalar() or 0) else ()
    evaluated = EVALUATION_TABLES if evaluated_days and evaluated_days >= ANALYZE_SHARE * evaluations else ()
    return chunk + evaluated


def analyze(conn: Connection, d: Dialect, tables: tuple[str, ...]) -> tuple[str, ...]:
    """ANALYZE these tables on PostgreSQL (fresh statistics for the pages' plans); return them.

    Not on SQLite: its ANALYZE reads every row of every index, and its planner does well without.
    """
    if not d.pg or not tables:
        return ()
    if conn.in_transaction():
        conn.commit()
    conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")
    conn.commit()
    return tables


def _refresh_logged(conn: Connection, d: Dialect, lo: date, hi: date, stats: RefreshStats, progress) -> None:
    t0 = time.perf_counter()
    rows = refresh_chunk(conn, d, lo, hi)
    spent = time.perf_counter() - t0
    stats.rows += rows
    stats.chunks += 1
    line = f"{lo}..{hi}: {rows:,} rows in {spent:.2f} s ({rows / spent if spent else 0:,.0f} rows/s)"
    stats.chunk_log.append(line)
    if progress:
        progress(line)
