"""Raw activity tables partitioned by month on PostgreSQL (SQLite keeps one plain table each).

PostgreSQL's declarative partitioning asks that every primary key and unique index hold the
partition key, so on PostgreSQL the partitioned tables' primary key is (id, occurred_at) (the
ORM still identifies a row by id: ids come from one sequence) and the ingest key is unique
on (api_client_id, external_id, occurred_at); ingest takes a per-client lock and checks the
pair itself, so a resend with another time is still recognised (webapp/services/ingest/writes.py).

Partitions are named `<table>_pYYYY_MM`, plus `<table>_default` for rows outside every month
created so far; the `raw_partitions` job creates the coming months ahead
(webapp/services/partitions.py) and `flask data retention` drops old ones.
"""

import re

from sqlalchemy import DDL, Index, PrimaryKeyConstraint, Table, event, text
from sqlalchemy.ext.compiler import compiles

# Table -> the time column it is partitioned on. Tables without incoming foreign keys only.
PARTITIONED: dict[str, str] = {"session_events": "occurred_at", "behavior_events": "occurred_at"}
PARTITION_NAME = re.compile(r"^(?P<table>[a-z_]+)_(?:p(?P<year>\d{4})_(?P<month>\d{2})|default)$")


def partitioned_args(table: str) -> dict:
    """The table keyword arguments of a partitioned table (ignored by SQLite)."""
    return {
        "postgresql_partition_by": f"RANGE ({PARTITIONED[table]})",
        "info": {"partition_key": PARTITIONED[table]},
    }


def partitioned_ingest_key_indexes(table: str) -> tuple[Index, Index]:
    """The ingest key of a partitioned table: on (client, id) in SQLite, with the time in PostgreSQL."""
    sent = text("external_id IS NOT NULL")
    plain = Index(
        f"uq_{table}_api_client_external", "api_client_id", "external_id", unique=True, sqlite_where=sent
    ).ddl_if(dialect="sqlite")
    timed = Index(
        f"uq_{table}_api_client_external_at",
        "api_client_id",
        "external_id",
        PARTITIONED[table],
        unique=True,
        postgresql_where=sent,
    ).ddl_if(dialect="postgresql")
    return plain, timed


def default_partition_ddl(table: Table) -> None:
    """Give a partitioned table its default partition when metadata creates it (PostgreSQL)."""
    ddl = DDL(f'CREATE TABLE IF NOT EXISTS "{table.name}_default" PARTITION OF "{table.name}" DEFAULT')
    event.listen(table, "after_create", ddl.execute_if(dialect="postgresql"))


@compiles(PrimaryKeyConstraint, "postgresql")
def _primary_key_with_partition_key(constraint: PrimaryKeyConstraint, compiler, **kw) -> str:
    """PRIMARY KEY (id, <partition key>) for a partitioned table; as usual otherwise."""
    sql = compiler.visit_primary_key_constraint(constraint, **kw)
    table = constraint.table if constraint.columns else None
    key = table.info.get("partition_key") if table is not None else None
    if not key or key in constraint.columns:
        return sql
    quoted = compiler.preparer.quote(key)
    return re.sub(r"PRIMARY KEY \((.*)\)", lambda m: f"PRIMARY KEY ({m.group(1)}, {quoted})", sql, count=1)


def skip_in_comparison(dialect: str):
    """An Alembic `include_object` hook: leave out partitions (the job makes them, not the models)
    and indexes the models create on the other backend only."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "table" and reflected and compare_to is None and name:
            match = PARTITION_NAME.match(name)
            if match and match.group("table") in PARTITIONED:
                return False
        if type_ == "index" and not reflected:
            only = getattr(obj, "_ddl_if", None)
            if only is not None and only.dialect is not None and only.dialect != dialect:
                return False
        return True

    return include
