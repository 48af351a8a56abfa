"""Dialect helpers for the set-based rollup SQL (PostgreSQL and SQLite).

The rollups are written as SQL text so that each step is one statement over a
table; the few things the two databases spell differently live here.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from webapp.services.timezones import learner_zone

# SQLite: (time zone, UTC quarter hour) -> local day and hour, for one chunk's time range.
LOCAL_TABLE = "tmp_local"
# A bucket is keyed by the text prefix of the stored timestamp and its quarter hour,
# 'YYYY-MM-DD HH:' || minute / 15; every UTC offset in use is a multiple of 15 minutes
# (+05:30, +05:45...). Timestamps stored in any other form miss the table.
BUCKET_SECONDS = 900

# pg_advisory_xact_lock key of `analytics refresh` (any constant bigint, ours alone).
REFRESH_LOCK_KEY = 5_311_904_215_001


class Dialect:
    """SQL fragments for one database."""

    def __init__(self, name: str, local_table: bool = False) -> None:
        self.name = name
        self.pg = name == "postgresql"
        # SQLite: look local days and hours up in LOCAL_TABLE (see build_local_table) and call
        # the Python functions only for the timestamps it does not cover.
        self.local_table = local_table and not self.pg

    def _lookup(self, column: str, ts: str, tz: str) -> str:
        return (
            f"(SELECT {column} FROM {LOCAL_TABLE} WHERE tz = COALESCE({tz}, '')"
            f" AND q = substr({ts}, 1, 14) || (CAST(substr({ts}, 15, 2) AS INTEGER) / 15))"
        )

    def local_day(self, ts: str, tz: str) -> str:
        """Return SQL for the local calendar day of UTC timestamp ts in time zone tz."""
        if self.pg:
            return f"CAST(timezone({tz}, {ts}) AS DATE)"
        if self.local_table:
            return f"COALESCE({self._lookup('day', ts, tz)}, sd_local_day({ts}, {tz}))"
        return f"sd_local_day({ts}, {tz})"

    def local_hour(self, ts: str, tz: str) -> str:
        """Return SQL for the local hour (0-23) of UTC timestamp ts in time zone tz."""
        if self.pg:
            return f"CAST(EXTRACT(HOUR FROM timezone({tz}, {ts})) AS INTEGER)"
        if self.local_table:
            return f"COALESCE({self._lookup('hour', ts, tz)}, sd_local_hour({ts}, {tz}))"
        return f"sd_local_hour({ts}, {tz})"

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


def _local(ts: str | None, tz: str | None) -> datetime | None:
    if ts is None:
        return None
    return datetime.fromisoformat(ts).replace(tzinfo=UTC).astimezone(learner_zone(tz))


def _sqlite_local_day(ts: str | None, tz: str | None) -> str | None:
    local = _local(ts, tz)
    return local.date().isoformat() if local else None


def _sqlite_local_hour(ts: str | None, tz: str | None) -> int | None:
    local = _local(ts, tz)
    return local.hour if local else None


def _constant_offsets(zone: ZoneInfo, start: datetime, hours: int) -> list[tuple[str, str, int]]:
    """Return (from, to, minutes): UTC runs of whole hours with one UTC offset in zone.

    An hour whose first and last instants differ in offset (a transition) is left out, and so
    is an offset that is not a whole number of quarter hours (a quarter hour of UTC would then
    straddle two local hours).
    """
    runs: list[tuple[str, str, int]] = []
    hour, last = timedelta(hours=1), timedelta(hours=1, microseconds=-1)
    run_start, run_offset = None, None
    for k in range(hours + 1):
        moment = start + k * hour
        offset = None
        if k < hours:
            a, b = moment.astimezone(zone).utcoffset(), (moment + last).astimezone(zone).utcoffset()
            offset = a if a == b and a is not None and a.total_seconds() % BUCKET_SECONDS == 0 else None
        if offset != run_offset:
            if run_start is not None and run_offset is not None:
                runs.append((f"{run_start:%Y-%m-%d %H:%M:%S}", f"{moment:%Y-%m-%d %H:%M:%S}", run_offset))
            run_start, run_offset = moment, offset
    return [(lo, hi, int(offset.total_seconds()) // 60) for lo, hi, offset in runs]


def build_local_table(conn: Connection, dialect: Dialect, ts_lo: date, ts_hi: date) -> None:
    """SQLite: (re)build LOCAL_TABLE for UTC [ts_lo, ts_hi) and every learner's time zone.

    Python finds the runs of hours with one UTC offset per zone; SQLite fills the quarter
    hours of each run. Timestamps in hours left out (offset transitions) fall back to the
    Python functions.
    """
    if not dialect.local_table:
        return
    for name in (LOCAL_TABLE, "tmp_local_runs"):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {LOCAL_TABLE} (tz TEXT NOT NULL, q TEXT NOT NULL, day TEXT NOT NULL,"
        " hour INTEGER NOT NULL, PRIMARY KEY (tz, q)) WITHOUT ROWID"
    )
    conn.exec_driver_sql("CREATE TEMP TABLE tmp_local_runs (tz TEXT, lo TEXT, hi TEXT, mins TEXT)")
    zones = [tz for (tz,) in conn.exec_driver_sql("SELECT DISTINCT COALESCE(timezone, '') FROM users")]
    start = datetime(ts_lo.year, ts_lo.month, ts_lo.day, tzinfo=UTC)
    hours = (ts_hi - ts_lo).days * 24
    runs = [
        (tz, lo, hi, f"{mins:+d} minutes")
        for tz in zones
        for lo, hi, mins in _constant_offsets(learner_zone(tz), start, hours)
    ]
    raw = conn.connection.driver_connection
    raw.executemany("INSERT INTO tmp_local_runs (tz, lo, hi, mins) VALUES (?, ?, ?, ?)", runs)
    raw.execute(
        f"""
        WITH RECURSIVE b(m) AS (
          SELECT ? UNION ALL SELECT datetime(m, '+{BUCKET_SECONDS} seconds') FROM b WHERE m < ?)
        INSERT INTO {LOCAL_TABLE} (tz, q, day, hour)
        SELECT r.tz, substr(b.m, 1, 14) || (CAST(substr(b.m, 15, 2) AS INTEGER) / 15),
               date(b.m, r.mins), CAST(strftime('%H', b.m, r.mins) AS INTEGER)
        FROM tmp_local_runs r JOIN b ON b.m >= r.lo AND b.m < r.hi""",
        (
            f"{start:%Y-%m-%d %H:%M:%S}",
            f"{start + timedelta(hours=hours, seconds=-BUCKET_SECONDS):%Y-%m-%d %H:%M:%S}",
        ),
    )
    conn.exec_driver_sql("DROP TABLE tmp_local_runs")


def drop_local_table(conn: Connection, dialect: Dialect) -> None:
    """Drop LOCAL_TABLE (SQLite)."""
    if dialect.local_table:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {LOCAL_TABLE}")


def register_sqlite_functions(conn: Connection) -> None:
    """Give a SQLite connection the local-time functions that PostgreSQL has built in."""
    raw = conn.connection.driver_connection
    raw.create_function("sd_local_day", 2, _sqlite_local_day, deterministic=True)
    raw.create_function("sd_local_hour", 2, _sqlite_local_hour, deterministic=True)


@contextmanager
def connection(engine: Engine) -> Iterator[tuple[Connection, Dialect]]:
    """Open a connection for the refresh (SQLite: our functions, manual transactions)."""
    dialect = Dialect(engine.dialect.name, local_table=True)
    if dialect.pg:
        with engine.connect() as conn:
            yield conn, dialect
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        register_sqlite_functions(conn)
        conn.exec_driver_sql("PRAGMA busy_timeout = 120000")
        yield conn, dialect


@contextmanager
def locked_transaction(conn: Connection, dialect: Dialect) -> Iterator[Connection]:
    """One transaction that no other refresh runs beside (advisory lock / BEGIN IMMEDIATE)."""
    if dialect.pg:
        if conn.in_transaction():  # end the read-only autobegun transaction of the planning step
            conn.commit()
        with conn.begin():
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({REFRESH_LOCK_KEY})")
            yield conn
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.exec_driver_sql("ROLLBACK")
        raise
    conn.exec_driver_sql("COMMIT")
