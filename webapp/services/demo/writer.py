"""Bulk insertion: buffered rows flushed by executemany (SQLite) or COPY (PostgreSQL)."""

import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from webapp.models import metadata

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = 86_400

# Table order that respects foreign keys: parents are flushed before children.
TABLE_ORDER = [t.name for t in metadata.sorted_tables]


class TimeFormat:
    """Turns epoch seconds and dates into the literal each backend stores."""

    def __init__(self, dialect: str) -> None:
        # SQLite stores what SQLAlchemy's DateTime writes; PostgreSQL parses the literal.
        self.suffix = ".000000" if dialect == "sqlite" else "+00"
        self._hours: dict[int, str] = {}
        self._tails = [f"{m:02d}:{s:02d}{self.suffix}" for m in range(60) for s in range(60)]

    def ts(self, seconds: int) -> str:
        """Format a UTC epoch second as a timestamp literal."""
        hour, rest = divmod(seconds, 3600)
        prefix = self._hours.get(hour)
        if prefix is None:
            day, hour_of_day = divmod(hour, 24)
            text = f"{date.fromordinal(EPOCH_ORDINAL + day).isoformat()} {hour_of_day:02d}:"
            prefix = self._hours[hour] = text
        return prefix + self._tails[rest]


EPOCH_ORDINAL = EPOCH.date().toordinal()


def epoch_of(day: date) -> int:
    """Return the epoch second of UTC midnight starting a date."""
    return (day.toordinal() - EPOCH_ORDINAL) * DAY


class BulkWriter:
    """Buffers rows per table and writes them in large batches, in foreign-key order."""

    def __init__(
        self,
        connection: Connection | None,
        on_rows: Callable[[int], None] | None = None,
        dialect: str | None = None,
    ) -> None:
        # Without a connection (a worker's chunk, see `parallel`) it only buffers and numbers rows.
        self.connection = connection
        self.dialect = dialect or connection.dialect.name
        self.fmt = TimeFormat(self.dialect)
        self.columns: dict[str, tuple[str, ...]] = {}
        self.buffers: dict[str, list[tuple]] = {}
        self.counts: dict[str, int] = {}
        self.seconds = 0.0
        self._on_rows = on_rows
        self._next_ids: dict[str, int] = {}

    def table(self, name: str, columns: tuple[str, ...]) -> list[tuple]:
        """Register a table's column order (every column, so no default is left to chance)."""
        expected = {c.name for c in metadata.tables[name].columns}
        if set(columns) != expected:
            raise ValueError(f"{name}: columns differ from the model: {sorted(expected ^ set(columns))}")
        if name not in self.buffers:
            self.columns[name] = columns
            self.buffers[name] = []
            self.counts.setdefault(name, 0)
        return self.buffers[name]

    def next_id(self, name: str, count: int = 1) -> int:
        """Reserve `count` consecutive ids of a table; return the first."""
        first = self._next_ids.get(name, 1)
        self._next_ids[name] = first + count
        return first

    def buffered(self) -> int:
        """Rows waiting to be written."""
        return sum(len(rows) for rows in self.buffers.values())

    def flush(self) -> None:
        """Write every buffered row, parents first."""
        started = time.perf_counter()
        written = 0
        for name in TABLE_ORDER:
            rows = self.buffers.get(name)
            if rows:
                self._write(name, rows)
                written += len(rows)
                self.counts[name] += len(rows)
                rows.clear()
        self.seconds += time.perf_counter() - started
        if written and self._on_rows:
            self._on_rows(written)

    def _write(self, name: str, rows: list[tuple]) -> None:
        columns = self.columns[name]
        if self.dialect == "postgresql":
            self._copy(name, columns, rows)
            return
        marks = ", ".join("?" * len(columns))
        sql = f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES ({marks})'  # noqa: S608 - our names
        self.connection.exec_driver_sql(sql, rows)

    def _copy(self, name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        raw = self.connection.connection.driver_connection
        sql = f'COPY "{name}" ({", ".join(columns)}) FROM STDIN'
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
