"""The migrations build the models' schema from nothing, on SQLite and PostgreSQL, and tear it down."""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text

from tests.conftest import _require_postgres, make_config
from tests.dbutil import scratch_postgres_database
from webapp import create_app
from webapp.extensions import db
from webapp.models import metadata
from webapp.models.core.partitioning import PARTITION_NAME, PARTITIONED, skip_in_comparison

pytestmark = [
    pytest.mark.slow,
    # migrations/env.py calls Flask-SQLAlchemy's deprecated db.get_engine() before db.engine;
    # remove this filter once env.py uses `current_app.extensions["migrate"].db.engine`.
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    # SQLite cannot reflect expression indexes (lower(email)): autogenerate skips them there, with a
    # warning; PostgreSQL compares them, and tests/auth/test_email_unique.py checks both backends.
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index"),
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


@pytest.fixture(autouse=True)
def _keep_logging():
    """Restore logging afterwards: migrations/env.py runs fileConfig, which disables other loggers."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    loggers = {
        name: lg.disabled
        for name, lg in logging.root.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, disabled in loggers.items():
        logging.getLogger(name).disabled = disabled


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path) -> Iterator[Flask]:
    """An app bound to a brand-new, empty database, with an app context pushed."""
    if request.param == "sqlite":
        urls = iter([f"sqlite:///{tmp_path}/migrations.db"])
        context = None
    else:
        context = scratch_postgres_database(_require_postgres(), "migrations")
        urls = iter([context.__enter__()])
    app = create_app(make_config(next(urls)))
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if context is not None:
            context.__exit__(None, None, None)


def tables() -> set[str]:
    """The tables, without the monthly partitions of the raw tables (PostgreSQL)."""
    names = set(inspect(db.engine).get_table_names())
    return {n for n in names if not (m := PARTITION_NAME.match(n)) or m.group("table") not in PARTITIONED}


def on_this_backend(index) -> bool:
    """Whether the models create this index on the current backend (some are for one only)."""
    only = getattr(index, "_ddl_if", None)
    return only is None or only.dialect in (None, db.engine.dialect.name)


def drift() -> list:
    """What autogenerate would still write: configured like migrations/env.py."""
    with db.engine.connect() as conn:
        include = skip_in_comparison(conn.dialect.name)
        opts = {"compare_type": True, "render_as_batch": True, "include_object": include}
        context = MigrationContext.configure(conn, opts=opts)
        return compare_metadata(context, metadata)


def test_upgrade_check_downgrade_upgrade(empty_app):
    flask_migrate.upgrade()
    assert tables() == set(metadata.tables) | {"alembic_version"}
    assert drift() == []
    flask_migrate.check()  # what `flask db check` runs: exits non-zero on drift

    flask_migrate.downgrade(revision="base")
    assert tables() == {"alembic_version"}

    flask_migrate.upgrade()
    assert tables() == set(metadata.tables) | {"alembic_version"}


def expression_indexes(table: str) -> set[str]:
    """Indexes on expressions (lower(email)), which SQLAlchemy cannot reflect on SQLite."""
    if db.engine.dialect.name != "sqlite":
        return set()
    sql = text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t")
    with db.engine.connect() as conn:
        return set(conn.scalars(sql, {"t": table}))


def test_upgrade_creates_every_constraint_and_index(empty_app):
    flask_migrate.upgrade()
    inspector = inspect(db.engine)
    for table in metadata.sorted_tables:
        found_checks = {c["name"] for c in inspector.get_check_constraints(table.name)}
        found_uniques = {c["name"] for c in inspector.get_unique_constraints(table.name)}
        found_fks = {c["name"] for c in inspector.get_foreign_keys(table.name)}
        found_indexes = {i["name"] for i in inspector.get_indexes(table.name)} | expression_indexes(
            table.name
        )
        wanted = {type(c).__name__: set() for c in table.constraints}
        for constraint in table.constraints:
            wanted[type(constraint).__name__].add(constraint.name)
        assert wanted.get("CheckConstraint", set()) <= found_checks, table.name
        assert wanted.get("UniqueConstraint", set()) <= found_uniques, table.name
        assert wanted.get("ForeignKeyConstraint", set()) <= found_fks, table.name
        assert {i.name for i in table.indexes if on_this_backend(i)} <= found_indexes, table.name


def test_enum_check_constraints_exist(empty_app):
    """Every enum column is a VARCHAR guarded by a named CHECK listing its values."""
    flask_migrate.upgrade()
    inspector = inspect(db.engine)
    for table in metadata.sorted_tables:
        checks = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
        for column in table.columns:
            enums = getattr(column.type, "enums", None)
            if not enums:
                continue
            name = f"ck_{table.name}_{column.type.name}"
            assert name in checks, name
            assert all(f"'{value}'" in checks[name] for value in enums), name


def _insert(sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_local_days_are_backfilled_and_no_row_is_lost(empty_app):
    """Rows written before 0007 get the local day and hour the writers now store; none vanish."""
    flask_migrate.upgrade(revision="0003_change_marks")
    _insert(
        "INSERT INTO users (id, email, display_name, role, timezone, locale, session_version,"
        " created_at, updated_at, is_active) VALUES (1, 'a@example.org', 'A', 'learner', :tz, 'en', 0,"
        " :at, :at, :on)",
        tz="Asia/Kolkata", at=datetime(2024, 1, 1, tzinfo=UTC), on=True,
    )  # fmt: skip
    # 18:40 UTC on the 9th is 00:10 on the 10th in Kolkata; the quiz is submitted a day later.
    started = datetime(2024, 1, 9, 18, 40, tzinfo=UTC)
    _insert(
        "INSERT INTO learning_sessions (id, user_id, started_at, device, content_type, is_completed)"
        " VALUES (1, 1, :at, 'web', 'video', :no)",
        at=started, no=False,
    )  # fmt: skip
    _insert(
        "INSERT INTO quiz_attempts (id, user_id, started_at, submitted_at, score, max_score,"
        " correct_count, total_questions, time_spent_seconds, difficulty)"
        " VALUES (1, 1, :at, :done, 5, 10, 5, 10, 60, 'easy')",
        at=started, done=started + timedelta(days=1, hours=5),
    )  # fmt: skip
    _insert(
        "INSERT INTO points_transactions (id, user_id, amount, reason, idempotency_key, created_at)"
        " VALUES (1, 1, 10, 'adjustment', 'k1', :at)",
        at=started,
    )  # fmt: skip

    flask_migrate.upgrade()

    with db.engine.connect() as conn:
        session_row = conn.execute(text("SELECT local_day, local_hour FROM learning_sessions")).one()
        quiz_row = conn.execute(text("SELECT local_day, local_hour FROM quiz_attempts")).one()
        points_row = conn.execute(text("SELECT local_day, local_hour FROM points_transactions")).one()
        users = conn.execute(text("SELECT count(*) FROM users")).scalar()
    assert (str(session_row[0]), session_row[1]) == ("2024-01-10", 0)
    assert (str(quiz_row[0]), quiz_row[1]) == ("2024-01-11", 5)  # 23:40 UTC on the 10th + 5 h
    assert (str(points_row[0]), points_row[1]) == ("2024-01-10", 0)
    assert users == 1
