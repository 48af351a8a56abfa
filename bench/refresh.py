"""`analytics refresh`: full rebuild, the default refresh and one day, against the floor of a
raw GROUP BY day.

All run in-process (no interpreter start-up in the time), on a throwaway copy of the
dataset. A new day is made by deleting the rollups of the newest day: the default
refresh (the command without arguments) then computes it again along with its
trailing window of late data (3 days); "one day" refreshes the newest full day alone
(its rollups deleted first), as the 15-minute job does for a day that ingest marked.
"""

import time
from datetime import date, timedelta

import click
from flask import Flask
from sqlalchemy import func, select, text

from bench.stats import Timing, repeat, time_ms
from webapp.extensions import db

ROLLUP_TABLES = ("daily_metrics", "hourly_metrics", "learner_days")


def refresh_command(app: Flask) -> click.Command | None:
    """Return the `analytics refresh` command, if this build has it."""
    group = app.cli.commands.get("analytics")
    return group.commands.get("refresh") if isinstance(group, click.Group) else None


def group_by_day_sql(dialect: str) -> str:
    """Return the plain per-day aggregate over raw session events on this dialect."""
    day = "CAST(occurred_at AS DATE)" if dialect == "postgresql" else "date(occurred_at)"
    return f"SELECT {day} AS day, count(*), count(DISTINCT user_id) FROM session_events GROUP BY {day}"  # noqa: S608


def time_group_by(app: Flask, repeats: int) -> Timing:
    """Time the raw GROUP BY day over session_events."""
    with app.app_context():
        sql = text(group_by_day_sql(db.engine.dialect.name))

        def scan() -> None:
            with db.engine.connect() as conn:
                conn.execute(sql).fetchall()

        return repeat(scan, repeats, warmup=1)


def activity_days(app: Flask) -> tuple[date, date]:
    """Return the first and last day with learning sessions."""
    from webapp.models import LearningSession

    with app.app_context():
        first, last = db.session.execute(
            select(func.min(LearningSession.started_at), func.max(LearningSession.started_at))
        ).one()
    as_day = lambda v: v.date() if hasattr(v, "date") else date.fromisoformat(str(v)[:10])  # noqa: E731
    return as_day(first) - timedelta(days=1), as_day(last) + timedelta(days=1)


def run_refresh(app: Flask, *args: str) -> None:
    """Invoke `analytics refresh ARGS` in-process; raise if it fails."""
    result = app.test_cli_runner().invoke(args=["analytics", "refresh", *args])
    if result.exit_code != 0:
        raise RuntimeError(f"analytics refresh {' '.join(args)} failed: {result.output[-400:]}")


def full_args(app: Flask) -> list[str]:
    """Return the arguments of a full rebuild: --full if the command has it, else the whole range."""
    command = refresh_command(app)
    names = {opt for param in command.params for opt in getattr(param, "opts", [])}
    if "--full" in names:
        return ["--full"]
    first, last = activity_days(app)
    return ["--from", first.isoformat(), "--to", last.isoformat()]


def time_full(app: Flask, repeats: int) -> Timing:
    """Time full rebuilds (each over rollup tables emptied first)."""
    args = full_args(app)

    def rebuild() -> float:
        empty_rollups(app)
        return time_ms(lambda: run_refresh(app, *args))

    return Timing(tuple(rebuild() for _ in range(repeats)))


def time_incremental(app: Flask, repeats: int) -> Timing:
    """Time the default refresh after the newest day's rollups were removed (a new day arrived)."""

    def one_day() -> float:
        drop_newest_day(app)
        return time_ms(lambda: run_refresh(app))

    run_refresh(app)  # start from up-to-date rollups
    return Timing(tuple(one_day() for _ in range(repeats)))


def time_one_day(app: Flask, repeats: int) -> Timing:
    """Time a refresh of the newest day alone (as the 15-minute job refreshes a day ingest marked
    late), after its rollups were removed; the evaluations are current, so none runs."""
    from webapp.services.analytics.rollups import refresh as refresh_days

    def one_day() -> float:
        day = drop_day(app, newest_full_day(app))
        with app.app_context():
            return time_ms(lambda: refresh_days(db.engine, days=[day]))

    run_refresh(app)  # start from up-to-date rollups
    return Timing(tuple(one_day() for _ in range(repeats)))


def empty_rollups(app: Flask) -> None:
    """Delete every rollup row."""
    with app.app_context(), db.engine.begin() as conn:
        for table in present(conn, ROLLUP_TABLES):
            conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608


def drop_newest_day(app: Flask) -> date:
    """Delete the rollups of the newest day, as if its activity had just arrived; return the day."""
    with app.app_context(), db.engine.connect() as conn:
        newest = conn.execute(text("SELECT max(day) FROM daily_metrics")).scalar()
    return drop_day(app, newest if isinstance(newest, date) else date.fromisoformat(str(newest)))


def newest_full_day(app: Flask) -> date:
    """The newest day with a whole day's activity: the newest local day is often begun only in the
    zones east of UTC (a tenth of a day's sessions), so the day before it when it has under half."""
    sql = "SELECT day, sessions FROM daily_metrics WHERE scope = 'all' ORDER BY day DESC LIMIT 2"
    with app.app_context(), db.engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    day, sessions = rows[0]
    if len(rows) > 1 and sessions * 2 < rows[1][1]:
        day = rows[1][0]
    return day if isinstance(day, date) else date.fromisoformat(str(day))


def drop_day(app: Flask, day: date) -> date:
    """Delete the rollups of one day, as if its activity had just arrived; return the day."""
    with app.app_context(), db.engine.begin() as conn:
        bound = day.isoformat() if conn.dialect.name == "sqlite" else day
        for table in present(conn, ROLLUP_TABLES):
            conn.execute(text(f'DELETE FROM "{table}" WHERE day = :day'), {"day": bound})  # noqa: S608
    return day


def present(conn, tables: tuple[str, ...]) -> list[str]:
    """Return the tables of this list that exist in the database."""
    from sqlalchemy import inspect

    names = set(inspect(conn).get_table_names())
    return [t for t in tables if t in names]


# Everything a full refresh writes: the chunk tables and the evaluations.
WRITTEN_TABLES = (
    "learner_days", "daily_metrics", "hourly_metrics", "content_type_metrics", "points_reason_metrics",
    "retention_cohorts", "learner_risk_flags", "risk_evaluations",
)  # fmt: skip


FOREIGN_KEYS = (
    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"
)


def write_floor(app: Flask) -> tuple[int, float]:
    """Return (rows, ms) of writing what a full refresh wrote, and nothing else: each table's rows
    copied by one INSERT ... SELECT into an empty table with the same indexes (and, on PostgreSQL,
    its foreign keys), in one transaction as the refresh commits. No refresh can write its output
    faster than this; computing it is on top."""
    with app.app_context(), db.engine.connect() as conn:
        pg = conn.dialect.name == "postgresql"
        tables = present(conn, WRITTEN_TABLES)
        copies = [(t, f"floor_{t}") for t in tables]
        for table, copy in copies:
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{copy}"')
            if pg:
                conn.exec_driver_sql(f'CREATE TABLE "{copy}" (LIKE "{table}" INCLUDING ALL)')
                for (fk,) in conn.execute(text(FOREIGN_KEYS), {"t": table}):
                    conn.exec_driver_sql(f'ALTER TABLE "{copy}" ADD {fk}')
            else:
                conn.exec_driver_sql(f'CREATE TABLE "{copy}" AS SELECT * FROM "{table}" WHERE 0')  # noqa: S608
                indexes = conn.execute(
                    text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
                    {"t": table},
                ).all()
                for name, sql in indexes:
                    if sql:  # autoindexes of UNIQUE constraints have no SQL: made below
                        conn.exec_driver_sql(sql.replace(name, f"floor_{name}", 1).replace(table, copy))
                for (name,) in [(n,) for n, sql in indexes if not sql]:
                    cols = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{name}")')]
                    conn.exec_driver_sql(
                        f'CREATE UNIQUE INDEX "floor_{name}" ON "{copy}" ({", ".join(cols)})'
                    )
        conn.commit()
        rows = 0
        try:
            started = time.perf_counter()
            with conn.begin():
                for table, copy in copies:
                    rows += conn.exec_driver_sql(f'INSERT INTO "{copy}" SELECT * FROM "{table}"').rowcount  # noqa: S608
            spent = (time.perf_counter() - started) * 1000
        finally:
            for _table, copy in copies:
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{copy}"')
            conn.commit()
    return rows, spent
