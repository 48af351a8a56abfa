"""Raw activity partitioned by month on PostgreSQL: session_events and behavior_events.

PostgreSQL only (SQLite keeps its plain tables; nothing to do there). Each table is rebuilt
as a table partitioned by RANGE on occurred_at: a default partition, one partition per month
from the oldest row's month to three months ahead, every row copied, then the primary key
(id, occurred_at), the foreign keys and the indexes the old table had (read from the
catalogue, so indexes added by other revisions come along), the ingest key becoming unique
on (api_client_id, external_id, occurred_at). The id sequence is kept. The copy takes a lock
on the table for its duration: run it in a maintenance window on a large database.

The downgrade rebuilds plain tables the same way.

Revision ID: 0013_raw_partitions
Revises: 0012_staff_locale
Create Date: 2026-12-01 19:25:00

"""
import re
from datetime import UTC, datetime

from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_raw_partitions'
down_revision = "0012_staff_locale"
branch_labels = None
depends_on = None

TABLES = {"session_events": "occurred_at", "behavior_events": "occurred_at"}
AHEAD_MONTHS = 3


def _month(year: int, month: int, shift: int = 0) -> tuple[int, int]:
    index = year * 12 + month - 1 + shift
    return index // 12, index % 12 + 1


def _saved_definitions(bind, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The table's foreign keys and indexes (but the primary key and the ingest key) as SQL."""
    fks = bind.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        f" WHERE conrelid = '\"{table}\"'::regclass AND contype = 'f' ORDER BY conname"
    ).all()
    indexes = bind.exec_driver_sql(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        f" WHERE x.indrelid = '\"{table}\"'::regclass AND NOT x.indisprimary AND left(i.relname, 3) <> 'uq_'"
        " ORDER BY i.relname"
    ).all()
    return [tuple(r) for r in fks], [tuple(r) for r in indexes]


def _rebuild(bind, table: str, key: str, partitioned: bool) -> None:
    fks, indexes = _saved_definitions(bind, table)
    old = f"{table}_before_0012"
    op.execute(f'ALTER SEQUENCE "{table}_id_seq" OWNED BY NONE')
    op.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    like = f'(LIKE "{old}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
    op.execute(f'CREATE TABLE "{table}" {like}' + (f" PARTITION BY RANGE ({key})" if partitioned else ""))
    if partitioned:
        op.execute(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
        oldest = bind.exec_driver_sql(f'SELECT min({key}) FROM "{old}"').scalar()
        now = datetime.now(UTC)
        first = oldest.astimezone(UTC) if oldest is not None else now
        year, month = first.year, first.month
        last = _month(now.year, now.month, AHEAD_MONTHS)
        while (year, month) <= last:
            following = _month(year, month, 1)
            op.execute(
                f'CREATE TABLE "{table}_p{year:04d}_{month:02d}" PARTITION OF "{table}" FOR VALUES'
                f" FROM ('{year:04d}-{month:02d}-01 00:00:00+00')"
                f" TO ('{following[0]:04d}-{following[1]:02d}-01 00:00:00+00')"
            )
            year, month = following
    op.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')
    op.execute(f'DROP TABLE "{old}"')
    op.execute(f'ALTER SEQUENCE "{table}_id_seq" OWNED BY "{table}".id')
    columns = f"id, {key}" if partitioned else "id"
    op.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "pk_{table}" PRIMARY KEY ({columns})')
    for name, definition in fks:
        op.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        op.execute(re.sub(rf'ON (ONLY )?(\S+\.)?"?{old}"?', f'ON "{table}"', definition, count=1))
    if partitioned:
        op.execute(
            f'CREATE UNIQUE INDEX "uq_{table}_api_client_external_at" ON "{table}"'
            f" (api_client_id, external_id, {key}) WHERE external_id IS NOT NULL"
        )
    else:
        op.execute(
            f'CREATE UNIQUE INDEX "uq_{table}_api_client_external" ON "{table}"'
            " (api_client_id, external_id) WHERE external_id IS NOT NULL"
        )
    op.execute(f'ANALYZE "{table}"')


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, key in TABLES.items():
        _rebuild(bind, table, key, partitioned=True)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, key in TABLES.items():
        _rebuild(bind, table, key, partitioned=False)
