"""Monthly partitions of the raw activity tables (PostgreSQL) and the retention of raw rows.

`ensure_partitions` (the `raw_partitions` job) creates this month's partition and the next
months' ahead of time, so that rows land in their month rather than in the default partition;
it is idempotent. Should the default partition already hold rows of a month being created,
they are moved into the new partition in the same transaction.

`apply_retention` (`flask data retention`) removes raw rows older than a whole number of
months: on PostgreSQL it detaches and drops the partitions that end before the cut (instant,
no dead rows, no VACUUM) and deletes the default partition's older rows; on SQLite it deletes
them in batches. Rollups (daily metrics, learner-days, cohorts...) stay: the reports keep
their history, only the raw events behind them go.
"""

# ruff: noqa: S608 - table and partition names come from the models and from dates.

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from webapp.models import metadata
from webapp.models.core.partitioning import PARTITION_NAME, PARTITIONED

AHEAD_MONTHS = 3
DELETE_BATCH = 10_000
LOCK_TIMEOUT = "30s"


def month_start(day: date, shift: int = 0) -> date:
    """The first day of the month `shift` months after the month of `day`."""
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    """The name of a table's partition for a month."""
    return f"{table}_p{month:%Y_%m}"


def _bound(month: date) -> str:
    return f"'{month.isoformat()} 00:00:00+00'"


def existing_partitions(connection: Connection, table: str) -> dict[str, tuple[date, date] | None]:
    """A table's partitions: name -> (first day, first day after) for a month, None for the default."""
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = CAST(:table AS regclass)"
        ),
        {"table": table},
    ).scalars()
    found: dict[str, tuple[date, date] | None] = {}
    for name in rows:
        match = PARTITION_NAME.match(name)
        if not match or match.group("table") != table:
            continue
        if match.group("year") is None:
            found[name] = None
        else:
            first = date(int(match.group("year")), int(match.group("month")), 1)
            found[name] = (first, month_start(first, 1))
    return found


def create_month(connection: Connection, table: str, month: date) -> bool:
    """Create a table's partition for a month unless it exists (moving the default's rows of that
    month into it); return whether it was created."""
    name = partition_name(table, month)
    if name in existing_partitions(connection, table):
        return False
    key = PARTITIONED[table]
    low, high = _bound(month), _bound(month_start(month, 1))
    default = f"{table}_default"
    has_default = f"{table}_default" in existing_partitions(connection, table)
    columns = ", ".join(f'"{c.name}"' for c in metadata.tables[table].columns)
    connection.exec_driver_sql(
        f'CREATE TABLE "{name}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
    )
    if has_default:
        # Attaching a month the default partition holds rows of would fail: move them first.
        connection.exec_driver_sql(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
        connection.exec_driver_sql(
            f'WITH moved AS (DELETE FROM "{default}" WHERE {key} >= {low} AND {key} < {high}'
            f' RETURNING {columns}) INSERT INTO "{name}" ({columns}) SELECT {columns} FROM moved'
        )
    connection.exec_driver_sql(
        f'ALTER TABLE "{table}" ATTACH PARTITION "{name}" FOR VALUES FROM ({low}) TO ({high})'
    )
    return True


def ensure_default(connection: Connection, table: str) -> bool:
    """Create the default partition of a table unless it exists; return whether it was created."""
    if f"{table}_default" in existing_partitions(connection, table):
        return False
    connection.exec_driver_sql(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
    return True


def is_partitioned(connection: Connection, table: str) -> bool:
    """Whether the table is a partitioned table here (PostgreSQL after the migration)."""
    if connection.dialect.name != "postgresql":
        return False
    kind = connection.execute(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:table)"), {"table": table}
    ).scalar()
    return kind == "p"


def ensure_partitions(connection: Connection, today: date, ahead: int = AHEAD_MONTHS) -> list[str]:
    """Create this month's and the next `ahead` months' partitions (and the default partition)
    of every partitioned table that lacks them; return the names created."""
    return ensure_months(connection, today, month_start(today, ahead))


def ensure_months(connection: Connection, first: date, last: date) -> list[str]:
    """Create the partitions (and the default partition) of every month from first to last of
    every partitioned table that lacks them; return the names created. A load of past months
    (the demo seed) calls it first, so that its rows land in their months, not in the default."""
    created: list[str] = []
    for table in PARTITIONED:
        if not is_partitioned(connection, table):
            continue
        if ensure_default(connection, table):
            created.append(f"{table}_default")
        month = month_start(first)
        while month <= last:
            if create_month(connection, table, month):
                created.append(partition_name(table, month))
            month = month_start(month, 1)
    return created


def create_partitions(session: Session, today: date | None = None) -> dict:
    """The `raw_partitions` job: this month's and the coming months' partitions (PostgreSQL)."""
    created = ensure_partitions(session.connection(), today or datetime.now(UTC).date())
    return {"partitions_created": len(created), "names": ", ".join(created) or "none"}


@dataclass
class RetentionStep:
    """One thing retention did (or would do)."""

    table: str
    what: str
    rows: int


def retention_cut(today: date, keep_months: int) -> date:
    """The first day kept: the current month and the `keep_months` months before it stay."""
    if keep_months < 1:
        raise ValueError("--keep-months must be at least 1 (the current month and the one before it)")
    return month_start(today, -keep_months)


def apply_retention(
    connection: Connection,
    today: date,
    keep_months: int,
    dry_run: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> list[RetentionStep]:
    """Remove raw rows from before the cut; return (and `say`) each step."""
    cut = retention_cut(today, keep_months)
    say(f"Keeping raw activity from {cut.isoformat()} on (UTC); rollups are kept whatever their day.")
    steps: list[RetentionStep] = []
    for table, key in PARTITIONED.items():
        if is_partitioned(connection, table):
            steps += _drop_partitions(connection, table, key, cut, dry_run, say)
        else:
            steps.append(_delete_rows(connection, table, key, cut, dry_run, say))
    return steps


def _count(connection: Connection, table: str, where: str = "") -> int:
    return connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"{where}').scalar() or 0


def _drop_partitions(
    connection: Connection, table: str, key: str, cut: date, dry_run: bool, say: Callable[[str], None]
) -> list[RetentionStep]:
    steps = []
    # Detaching waits for every open transaction reading the table: give up rather than queue
    # every other reader behind it.
    connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    for name, bounds in sorted(existing_partitions(connection, table).items()):
        if bounds is None or bounds[1] > cut:
            continue
        rows = _count(connection, name)
        verb = "would detach and drop" if dry_run else "detached and dropped"
        if not dry_run:
            connection.exec_driver_sql(f'ALTER TABLE "{table}" DETACH PARTITION "{name}"')
            connection.exec_driver_sql(f'DROP TABLE "{name}"')
        say(f"{table}: {verb} partition {name} ({bounds[0]:%Y-%m}, {rows:,} rows)")
        steps.append(RetentionStep(table, f"drop {name}", rows))
    default = f"{table}_default"
    if default in existing_partitions(connection, table):
        steps.append(_delete_rows(connection, default, key, cut, dry_run, say, label=table))
    return steps


def _delete_rows(
    connection: Connection,
    table: str,
    key: str,
    cut: date,
    dry_run: bool,
    say: Callable[[str], None],
    label: str | None = None,
) -> RetentionStep:
    """Delete the rows before the cut, DELETE_BATCH at a time (short transactions on SQLite)."""
    older = f" WHERE {key} < :cut"
    # Bound through the column's own type: SQLite compares the text it stores.
    cut_param = bindparam("cut", datetime(cut.year, cut.month, cut.day, tzinfo=UTC))
    cut_param.type = metadata.tables[label or table].c[key].type
    count = text(f'SELECT count(*) FROM "{table}"{older}').bindparams(cut_param)
    total = connection.execute(count).scalar() or 0
    if not dry_run and total:
        sql = f'DELETE FROM "{table}" WHERE id IN (SELECT id FROM "{table}"{older} LIMIT {DELETE_BATCH})'
        batch = text(sql).bindparams(cut_param)
        while connection.execute(batch).rowcount:
            connection.commit()
    connection.commit()
    verb = "would delete" if dry_run else "deleted"
    say(
        f"{label or table}: {verb} {total:,} rows before {cut.isoformat()}"
        + (f" (from {table})" if label else "")
    )
    return RetentionStep(label or table, f"delete rows from {table}", total)
