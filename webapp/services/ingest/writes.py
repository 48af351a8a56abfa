"""Idempotent writes of sent rows: the database's unique index on (client, client's id) decides.

`insert_new` inserts in one statement with ON CONFLICT DO NOTHING: a key already stored, or
stored a moment ago by a retry racing this one, is simply not inserted, and its item is then
compared with what is stored (a duplicate, an update the kind allows, or a conflict).
Rows go in key order, so two batches with the same keys never wait on each other in a cycle.
On PostgreSQL the rows are first COPYed into a temporary table and inserted from there by one
INSERT ... SELECT: a 1,000-row multi-VALUES statement costs the driver more to build and parse
than the database to run.
"""

# ruff: noqa: S608 - table and column names come from the models; values are COPYed or bound.

import zlib
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import Row, Table, select
from sqlalchemy.orm import Session

from webapp.models.core.partitioning import PARTITIONED
from webapp.services.points import dialect_insert

# Columns that a client's item does not describe: never compared.
NOT_COMPARED = frozenset({"id", "api_client_id", "external_id", "local_day", "local_hour"})


def insert_new(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], any_conflict: bool = False
) -> dict[str, int]:
    """Insert the rows whose (api_client_id, external_id) is new; return {external_id: row id}.

    any_conflict: also skip rows that another unique rule of the table refuses.
    """
    if not rows:
        return {}
    ordered = sorted(rows, key=lambda row: row["external_id"])
    if session.get_bind().dialect.name == "postgresql":
        return _copy_insert(session, table, ordered, any_conflict)
    stmt = dialect_insert(session, table)
    if any_conflict:
        stmt = stmt.on_conflict_do_nothing()
    else:
        stmt = stmt.on_conflict_do_nothing(
            index_elements=["api_client_id", "external_id"], index_where=table.c.external_id.is_not(None)
        )
    inserted = session.execute(stmt.returning(table.c.external_id, table.c.id), ordered)
    return dict(inserted.tuples().all())


def stored_rows(
    session: Session, table: Table, client_id: int, external_ids: Sequence[str]
) -> dict[str, Row]:
    """Return the rows this client sent before under these ids, by id."""
    found: dict[str, Row] = {}
    for start in range(0, len(external_ids), 1000):
        part = list(external_ids[start : start + 1000])
        query = select(table).where(table.c.api_client_id == client_id, table.c.external_id.in_(part))
        found.update({row.external_id: row for row in session.execute(query)})
    return found


def differences(row: Mapping[str, Any], stored: Row) -> list[str]:
    """Return the fields whose sent value differs from the stored one."""
    mapping = stored._mapping
    return [key for key, value in row.items() if key not in NOT_COMPARED and mapping[key] != value]


def _copyable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict | list):
        return Jsonb(value)
    return value


def _copy_insert(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], any_conflict: bool
) -> dict[str, int]:
    """PostgreSQL: COPY the rows into a temporary table, then INSERT ... SELECT ... ON CONFLICT."""
    defaults = {  # what an INSERT through SQLAlchemy would fill in (computed_at = now)
        c.name: c.default.arg(None) if c.default.is_callable else c.default.arg
        for c in table.columns
        if c.name not in rows[0] and c.default is not None and (c.default.is_callable or c.default.is_scalar)
    }
    rows = [{**defaults, **row} for row in rows] if defaults else rows
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    staging = f"tmp_ingest_{table.name}"
    conn = session.connection()
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS"
        f' AS SELECT {names} FROM "{table.name}" WITH NO DATA'
    )
    conn.exec_driver_sql(f"TRUNCATE {staging}")
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_copyable(row[c]) for c in columns])
    target = "" if any_conflict else "(api_client_id, external_id) WHERE external_id IS NOT NULL"
    new = ""
    if table.name in PARTITIONED:
        # The unique index also holds the time (a partitioned table's must): a resend of an item
        # at another time would pass it. Check the pair, under a lock per table and client that
        # makes a racing batch of the same client wait until this one commits.
        key = PARTITIONED[table.name]
        target = "" if any_conflict else f"(api_client_id, external_id, {key}) WHERE external_id IS NOT NULL"
        conn.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            (zlib.crc32(table.name.encode()) & 0x7FFFFFFF, rows[0]["api_client_id"]),
        )
        new = (
            f' WHERE NOT EXISTS (SELECT 1 FROM "{table.name}" t'
            f" WHERE t.api_client_id = s.api_client_id AND t.external_id = s.external_id)"
        )
    insert = (
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM {staging} s{new} ORDER BY external_id'
        f" ON CONFLICT {target} DO NOTHING RETURNING external_id, id"
    )
    return dict(conn.exec_driver_sql(insert).tuples().all())
