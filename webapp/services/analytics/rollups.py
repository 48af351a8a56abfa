"""`analytics refresh`: raw activity -> learner_days -> daily, hourly and breakdown rollups.

A refresh works through chunks of consecutive local days. Each chunk is one
transaction that no other refresh runs beside (PostgreSQL: an advisory lock;
SQLite: BEGIN IMMEDIATE): it stages the chunk's raw rows once, rewrites its
learner_days, upserts its daily_metrics on (day, scope), and rewrites its
hourly and breakdown rows. Running a refresh twice changes nothing; two at once
queue on the lock. By default a refresh recomputes a trailing window (for late
data) and every day missing since the first recorded activity.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from webapp.models.analytics.metrics import PLATFORM_SCOPE, DailyMetric
from webapp.services.analytics import cohorts, risk
from webapp.services.analytics.breakdowns import add_distributions, add_medians, write_breakdowns
from webapp.services.analytics.daily import add_actives, add_learner_day_figures, blank_metrics
from webapp.services.analytics.sql import Dialect, as_date, connection, locked_transaction
from webapp.services.analytics.stage import drop_staging, stage_raw, write_learner_days

TRAILING_DAYS = 3
CHUNK_DAYS = 31
UPSERT_BATCH = 500

Progress = Callable[[str], None]


@dataclass
class RefreshStats:
    """What one refresh did."""

    days: int = 0
    chunks: int = 0
    rows: int = 0
    seconds: float = 0.0
    chunk_log: list[str] = field(default_factory=list)

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
        add_medians(conn, params, metrics)
        add_distributions(conn, params, metrics)
        _upsert_metrics(conn, d, list(metrics.values()))
        rows += len(metrics) + write_breakdowns(conn, d, params)
        drop_staging(conn, d)
    return rows


def refresh(
    engine: Engine,
    start: date | None = None,
    end: date | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> RefreshStats:
    """Refresh the rollups for start..end (default: trailing window + missing days); return stats.

    Takes the engine, not a session: the refresh commits chunk by chunk on its own connection.
    """
    stats = RefreshStats()
    began = time.perf_counter()
    today = today or utc_today()
    with connection(engine) as (conn, d):
        if start is None and end is None:
            days = plan_days(conn, d, today)
        else:
            lo, hi = start or end or today, end or today
            days = [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]
        for lo, hi in chunks(days):
            t0 = time.perf_counter()
            rows = refresh_chunk(conn, d, lo, hi)
            spent = time.perf_counter() - t0
            stats.rows += rows
            stats.chunks += 1
            line = f"{lo}..{hi}: {rows:,} rows in {spent:.2f} s ({rows / spent if spent else 0:,.0f} rows/s)"
            stats.chunk_log.append(line)
            if progress:
                progress(line)
        stats.days = len(days)
        if days:
            as_of = max(days)
            with locked_transaction(conn, d):
                stats.rows += cohorts.write_cohorts(conn, d, as_of)
                stats.rows += risk.write_flags(conn, d, as_of)
            if progress:
                progress(f"cohorts and at-risk flags as of {as_of}")
    stats.seconds = time.perf_counter() - began
    return stats
