"""Dialect helpers for the set-based rollup SQL (PostgreSQL and SQLite).

The rollups are written as SQL text so that each step is one statement over a
table; the few things the two databases spell differently live here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine

# pg_advisory_xact_lock key of `analytics refresh` (any constant bigint, ours alone).
REFRESH_LOCK_KEY = 5_311_904_215_001
# Memory for each sort and hash of a refresh transaction on PostgreSQL (the server's default,
# 4 MB, spilled a month's learner-day aggregate to disk at 2,000 learners). One connection
# runs the refresh, so a few of these at once is all it ever holds.
REFRESH_WORK_MEM = "64MB"
# SQLite: the refresh connection's page cache, in KiB.
REFRESH_SQLITE_CACHE_KB = 262_144


class Dialect:
    """SQL fragments for one database."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pg = name == "postgresql"

    def add_days(self, day: str, days: int) -> str:
        """Return SQL for a date plus a whole number of days."""
        if self.pg:
            return f"({day} + {int(days)})"
        return f"date({day}, '{int(days):+d} days')"

    def day_num(self, day: str) -> str:
        """Return SQL for a date as a whole number of days (for differences and islands)."""
        if self.pg:
            return f"({day} - DATE '2000-01-01')"
        return f"CAST(julianday({day}) AS INTEGER)"

    def ordinal(self, day: str) -> str:
        """Return SQL for a date's proleptic Gregorian ordinal (Python's date.toordinal())."""
        if self.pg:
            return f"({day} - DATE '0001-01-01' + 1)"
        return f"(CAST(julianday({day}) AS INTEGER) - 1721424)"

    def week_start(self, day: str) -> str:
        """Return SQL for the Monday of the ISO week holding a date."""
        if self.pg:
            return f"CAST(date_trunc('week', {day}) AS DATE)"
        return f"date({day}, 'weekday 0', '-6 days')"

    def true(self) -> str:
        """Return a boolean true literal that both databases store in a boolean column."""
        return "TRUE" if self.pg else "1"

    def day(self, value: date) -> date | str:
        """Return a date as a bind value (SQLite keeps ISO text; its date adapter is deprecated)."""
        return value if self.pg else value.isoformat()

    def ts(self, value: date) -> datetime | str:
        """Return the UTC midnight starting a date as a bind value for timestamp columns."""
        if self.pg:
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        return value.isoformat()


def as_date(value: date | str) -> date:
    """Return a date read back from either database (SQLite gives ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


@contextmanager
def connection(engine: Engine) -> Iterator[tuple[Connection, Dialect]]:
    """Open a connection for the refresh (SQLite: manual transactions)."""
    dialect = Dialect(engine.dialect.name)
    if dialect.pg:
        with engine.connect() as conn:
            yield conn, dialect
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 120000")
        # A page cache that holds a month of raw rows and the temp tables in memory (the default,
        # 2 MB, rereads the file); put back before the pooled connection serves anyone else.
        conn.exec_driver_sql(f"PRAGMA cache_size = -{REFRESH_SQLITE_CACHE_KB}")
        conn.exec_driver_sql("PRAGMA temp_store = MEMORY")
        try:
            yield conn, dialect
        finally:
            conn.exec_driver_sql("PRAGMA cache_size = -2000")
            conn.exec_driver_sql("PRAGMA temp_store = DEFAULT")


@contextmanager
def locked_transaction(conn: Connection, dialect: Dialect) -> Iterator[Connection]:
    """One transaction that no other refresh runs beside (advisory lock / BEGIN IMMEDIATE)."""
    if dialect.pg:
        if conn.in_transaction():  # end the read-only autobegun transaction of the planning step
            conn.commit()
        with conn.begin():
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({REFRESH_LOCK_KEY})")
            conn.exec_driver_sql(f"SET LOCAL work_mem = '{REFRESH_WORK_MEM}'")
            yield conn
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.exec_driver_sql("ROLLBACK")
        raise
    conn.exec_driver_sql("COMMIT")
