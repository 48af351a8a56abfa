"""What the seed asks of the database: is it empty, empty it, tune it for bulk loading."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from webapp.models import User, metadata
from webapp.models.core.enums import Role


def learner_count(session: Session) -> int:
    """How many learners the database holds."""
    return session.scalar(select(func.count()).select_from(User).where(User.role == Role.LEARNER)) or 0


def existing_emails(session: Session, emails: list[str]) -> set[str]:
    """Which of these e-mail addresses have an account."""
    return set(session.scalars(select(User.email).where(User.email.in_(emails))))


def delete_all_rows(session: Session) -> None:
    """Delete every data row of every table, keeping the schema (and Alembic's version)."""
    tables = list(reversed(metadata.sorted_tables))
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            session.execute(table.delete())
    session.commit()


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id sequences past the ids the seed chose itself."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        column = table.columns.get("id")
        if column is None or not column.autoincrement or len(table.primary_key.columns) != 1:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"  # noqa: S608 - our names
                f' COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
            )
        )


@contextmanager
def bulk_loading(connection: Connection) -> Iterator[None]:
    """Trade durability for speed while seeding (a crash means seeding again)."""
    if connection.dialect.name == "postgresql":
        with _postgres_bulk_loading(connection):
            yield
        return
    if connection.dialect.name != "sqlite":
        yield
        return
    # The generator keeps every reference and value valid (the tests check it, and PostgreSQL's
    # COPY enforces every constraint); checking them row by row would cut SQLite's rate by half.
    # These PRAGMAs only take effect outside a transaction.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.exec_driver_sql("PRAGMA ignore_check_constraints=ON")
    connection.exec_driver_sql("PRAGMA synchronous=OFF")
    connection.exec_driver_sql("PRAGMA cache_size=-262144")
    connection.exec_driver_sql("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.exec_driver_sql("PRAGMA ignore_check_constraints=OFF")
        connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        connection.exec_driver_sql("PRAGMA cache_size=-2000")


@contextmanager
def _postgres_bulk_loading(connection: Connection) -> Iterator[None]:
    """Commit without waiting for the disk and, for a superuser, skip the foreign-key triggers.

    A foreign-key check is a query per row and constraint, run by a trigger: half of COPY's
    time for the activity tables. `session_replication_role = replica` skips those triggers in
    this session only (unique and check constraints still hold); the generator keeps every
    reference valid, which the demo tests check. Others keep the checks.
    """
    connection.exec_driver_sql("SET synchronous_commit = off")
    superuser = connection.exec_driver_sql("SELECT current_setting('is_superuser')").scalar() == "on"
    if superuser:
        connection.exec_driver_sql("SET session_replication_role = replica")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("RESET synchronous_commit")
        if superuser:
            connection.exec_driver_sql("RESET session_replication_role")
        connection.commit()


# SQLite: the tables the learners are written into, whose secondary indexes the seed builds after
# loading them (one sort per index) instead of maintaining them row by row: session events go in
# 1.8x as fast without their four. Unique indexes stay (they are rules, not speed).
DEFERRED_INDEX_TABLES = (
    "session_events", "attention_spans", "behavior_events", "points_transactions", "learning_sessions",
    "focus_metrics", "daily_logins", "quiz_attempts", "notifications", "assessment_results",
)  # fmt: skip


def deferred(connection: Connection) -> list:
    """The indexes that `deferred_indexes` drops and builds again (none off SQLite)."""
    if connection.dialect.name != "sqlite":
        return []
    return [
        index
        for name in DEFERRED_INDEX_TABLES
        for index in sorted(metadata.tables[name].indexes, key=lambda ix: ix.name)
        if not index.unique
    ]


@contextmanager
def deferred_indexes(
    connection: Connection, built: Callable[[int, int], None] | None = None
) -> Iterator[None]:
    """On SQLite, drop the raw tables' secondary indexes while the learners are written and build
    them afterwards, also when the load fails; `built(done, total)` follows the rebuild.

    A seed killed mid-load leaves them missing until the next seed, which builds whichever is
    missing at its end (`checkfirst`); only speed depends on them. The indexes come from the
    models, which the migrations match (tests/models/test_migrations.py).
    """
    indexes = deferred(connection)
    for index in indexes:
        connection.exec_driver_sql(f'DROP INDEX IF EXISTS "{index.name}"')
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        for done, index in enumerate(indexes, 1):
            index.create(connection, checkfirst=True)
            connection.commit()
            if built:
                built(done, len(indexes))


def analyze_all(session: Session) -> None:
    """PostgreSQL: ANALYZE the whole database after the seed (9 s at the large size). Autovacuum
    would, minutes later; until then the pages planned on empty statistics (a leaderboard's score
    history took 188 ms instead of 2). SQLite's planner does without (its ANALYZE reads every index).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.commit()
    with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
