"""SQLite's local-day lookup table gives exactly what the per-row Python functions give."""

# ruff: noqa: S608 - SQL is composed from dialect fragments and constants.

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine

from webapp.services.analytics.sql import (
    Dialect,
    _constant_offsets,
    build_local_table,
    register_sqlite_functions,
)

# DST both ways, half- and quarter-hour offsets, a 30-minute DST shift, unknown and empty zones.
ZONES = [
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Bogus/Zone",
    "",
    None,
]
LO, HI = date(2026, 3, 1), date(2026, 11, 10)


@pytest.fixture
def conn():
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        register_sqlite_functions(conn)
        conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, timezone TEXT)")
        conn.exec_driver_sql("CREATE TABLE ev (user_id INTEGER, ts TEXT)")
        for uid, tz in enumerate(ZONES):
            conn.exec_driver_sql("INSERT INTO users (id, timezone) VALUES (?, ?)", (uid, tz))
        yield conn
    engine.dispose()


def _timestamps() -> list[tuple[int, str | None]]:
    rnd = random.Random(7)
    start = datetime(2026, 2, 28)
    rows: list[tuple[int, str | None]] = []
    for k in range(0, 256 * 96, 7):  # quarter-hour edges, and one microsecond before them
        edge = start + timedelta(minutes=15 * k)
        for uid in range(len(ZONES)):
            rows.append((uid, f"{edge:%Y-%m-%d %H:%M:%S.%f}"))
            rows.append((uid, f"{edge - timedelta(microseconds=1):%Y-%m-%d %H:%M:%S.%f}"))
    for _ in range(20_000):
        moment = start + timedelta(seconds=rnd.randrange(256 * 86400), microseconds=rnd.randrange(10**6))
        fmt = rnd.choice(["%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"])
        rows.append((rnd.randrange(len(ZONES)), moment.strftime(fmt)))
    rows.append((0, None))
    return rows


def test_lookup_matches_the_python_functions(conn) -> None:
    table, python = Dialect("sqlite", local_table=True), Dialect("sqlite")
    build_local_table(conn, table, LO, HI)
    assert conn.exec_driver_sql("SELECT COUNT(*) FROM tmp_local").scalar() > 0
    conn.connection.driver_connection.executemany("INSERT INTO ev (user_id, ts) VALUES (?, ?)", _timestamps())
    ts, tz = "e.ts", "u.timezone"
    differ = (
        f"SELECT COUNT(*) FROM ev e JOIN users u ON u.id = e.user_id"
        f" WHERE {table.local_day(ts, tz)} IS NOT {python.local_day(ts, tz)}"
        f" OR {table.local_hour(ts, tz)} IS NOT {python.local_hour(ts, tz)}"
    )
    assert conn.exec_driver_sql(differ).scalar() == 0
    # Nearly every canonical timestamp in range is answered by the table, not the fallback.
    missed = (
        f"SELECT COUNT(*) FROM ev e JOIN users u ON u.id = e.user_id WHERE substr(e.ts, 11, 1) = ' '"
        f" AND e.ts >= '{LO}' AND e.ts < '{HI}' AND {table._lookup('day', ts, tz)} IS NULL"
    )
    assert conn.exec_driver_sql(missed).scalar() < 200


def test_postgres_and_default_sqlite_do_not_use_the_table() -> None:
    assert not Dialect("postgresql", local_table=True).local_table
    assert "tmp_local" not in Dialect("sqlite").local_day("ts", "tz")


def test_offsets_off_the_quarter_hour_are_left_to_python() -> None:
    # Liberia kept UTC-00:44:30 until 1972: no quarter hour of UTC is one local hour there.
    assert _constant_offsets(ZoneInfo("Africa/Monrovia"), datetime(1971, 1, 1, tzinfo=UTC), 48) == []
    runs = _constant_offsets(ZoneInfo("Asia/Kathmandu"), datetime(2026, 1, 1, tzinfo=UTC), 48)
    assert runs == [("2026-01-01 00:00:00", "2026-01-03 00:00:00", 345)]
