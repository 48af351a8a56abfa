"""Monthly partitions of the raw events (PostgreSQL), the job that makes them ahead, and
`flask data retention` on both backends; then the real migration over existing rows."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.conftest import _require_postgres, make_config
from tests.dbutil import scratch_postgres_database
from tests.factories import make_behavior_event, make_event, make_session
from tests.serving.live import flask, production_env
from webapp import create_app
from webapp.config import normalise_database_url
from webapp.extensions import db
from webapp.jobs.runner import run_job
from webapp.models import BehaviorEvent, LearningSession, SessionEvent
from webapp.services.ingest.writes import insert_new
from webapp.services.partitions import (
    create_month,
    create_partitions,
    ensure_partitions,
    existing_partitions,
    month_start,
    partition_name,
    retention_cut,
)

TODAY = datetime.now(UTC).date()
THIS_MONTH = month_start(TODAY)


def at(month: date, day: int = 10) -> datetime:
    return datetime(month.year, month.month, day, 12, tzinfo=UTC)


def partitions(session, table: str) -> dict:
    return existing_partitions(session.connection(), table)


def is_postgres(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def test_the_job_creates_the_coming_months_once_and_moves_early_rows_out_of_the_default(app, session):
    learning = make_session(session)
    ahead = month_start(TODAY, 2)
    early = make_event(session, session=learning, occurred_at=at(ahead))  # before its month exists
    session.commit()
    record = run_job("raw_partitions", create_partitions)
    assert record["status"] == "succeeded"
    if not is_postgres(session):
        assert record["details"]["partitions_created"] == 0  # SQLite: one plain table, nothing to do
        return
    names = set(partitions(session, "session_events"))
    wanted = {partition_name("session_events", month_start(TODAY, shift)) for shift in range(4)}
    assert wanted | {"session_events_default"} <= names
    assert partition_name("behavior_events", month_start(TODAY, 3)) in partitions(session, "behavior_events")
    where = session.execute(
        text("SELECT tableoid::regclass::text FROM session_events WHERE id = :id"), {"id": early.id}
    ).scalar()
    assert where == partition_name("session_events", ahead)  # moved out of the default partition
    again = run_job("raw_partitions", create_partitions)
    assert again["details"]["partitions_created"] == 0  # idempotent


def test_retention_refuses_less_than_a_month(runner):
    for value in ("0", "-3"):
        result = runner.invoke(args=["data", "retention", "--keep-months", value])
        assert result.exit_code != 0
        assert "--keep-months must be at least 1" in result.output
        assert len(result.output.strip().splitlines()) == 1
    with pytest.raises(ValueError, match="at least 1"):
        retention_cut(TODAY, 0)


def test_retention_removes_old_raw_rows_and_nothing_else(runner, session):
    old_month, kept_month = month_start(TODAY, -4), month_start(TODAY, -1)
    if is_postgres(session):
        for month in (old_month, kept_month):
            for table in ("session_events", "behavior_events"):
                create_month(session.connection(), table, month)
        ensure_partitions(session.connection(), TODAY)
    learning = make_session(session, started_at=at(old_month))
    old = [make_event(session, session=learning, occurred_at=at(old_month, d)) for d in (3, 4)]
    stale_default = make_event(session, session=learning, occurred_at=at(month_start(TODAY, -30)))
    kept = make_event(session, session=learning, occurred_at=at(kept_month))
    make_behavior_event(session, user=learning.user, occurred_at=at(old_month))
    recent = make_behavior_event(
        session, user=learning.user, occurred_at=datetime.now(UTC) - timedelta(hours=1)
    )
    session.commit()
    gone = {e.id for e in old} | {stale_default.id}
    kept_id, recent_id = kept.id, recent.id

    dry = runner.invoke(args=["data", "retention", "--keep-months", "2", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"Keeping raw activity from {month_start(TODAY, -2).isoformat()}" in dry.output
    assert "would remove 4 raw rows" in dry.output
    if is_postgres(session):
        assert f"would detach and drop partition {partition_name('session_events', old_month)}" in dry.output
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SessionEvent)) == 4
    session.commit()  # a reader's open transaction would hold up the detach

    result = runner.invoke(args=["data", "retention", "--keep-months", "2"])
    assert result.exit_code == 0, result.output
    assert "removed 4 raw rows" in result.output
    session.expire_all()
    assert session.scalars(select(SessionEvent.id)).all() == [kept_id]
    assert session.scalars(select(BehaviorEvent.id)).all() == [recent_id]
    assert session.scalar(select(func.count()).select_from(LearningSession)) == 1  # not a partitioned table
    assert kept_id not in gone
    if is_postgres(session):
        assert partition_name("session_events", old_month) not in partitions(session, "session_events")
        assert partition_name("session_events", kept_month) in partitions(session, "session_events")


def test_ingest_dedups_by_client_and_id_whatever_the_time(app, session):
    from tests.factories import make_api_client

    client = make_api_client(session)
    learning = make_session(session)
    row = {
        "session_id": learning.id,
        "user_id": learning.user_id,
        "event_type": "start",
        "occurred_at": at(THIS_MONTH, 1),
        "payload": None,
        "api_client_id": client.id,
        "external_id": "ev-1",
    }
    first = insert_new(session, SessionEvent.__table__, [_local(row)])
    assert list(first) == ["ev-1"]
    again = insert_new(session, SessionEvent.__table__, [_local(row)])
    moved = insert_new(
        session, SessionEvent.__table__, [_local({**row, "occurred_at": at(month_start(TODAY, -1))})]
    )
    assert again == {}
    assert moved == {}  # the same item, even sent with another time
    session.commit()
    assert session.scalar(select(func.count()).select_from(SessionEvent)) == 1


def _local(row: dict) -> dict:
    return {**row, "local_day": row["occurred_at"].date(), "local_hour": row["occurred_at"].hour}


# The real migration, over rows written before it (PostgreSQL: SQLite has nothing to convert).
BEFORE = "0012_staff_locale"


@pytest.fixture
def before_partitions() -> Iterator[str]:
    with scratch_postgres_database(_require_postgres(), "partitions") as url:
        result = flask(production_env(url), "db", "upgrade", BEFORE)
        assert result.returncode == 0, result.stderr
        yield url


@pytest.mark.slow
def test_the_migration_partitions_existing_rows_and_retention_drops_old_months(before_partitions):
    url = before_partitions
    env = production_env(url)
    old_month = month_start(TODAY, -5)
    app = create_app(make_config(normalise_database_url(url)))
    with app.app_context():
        learning = make_session(db.session, started_at=at(old_month))
        for month in (old_month, month_start(TODAY, -1), THIS_MONTH):
            make_event(db.session, session=learning, occurred_at=at(month, 1))
            make_behavior_event(db.session, user=learning.user, occurred_at=at(month, 1))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    result = flask(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as connection:
        kinds = dict(connection.execute(text(
            "SELECT relname, relkind FROM pg_class WHERE relname IN ('session_events', 'behavior_events')"
        )).all())  # fmt: skip
        assert kinds == {"session_events": "p", "behavior_events": "p"}
        placed = connection.execute(text(
            "SELECT tableoid::regclass::text, count(*) FROM session_events GROUP BY 1 ORDER BY 1"
        )).all()  # fmt: skip
        assert placed == sorted(
            (partition_name("session_events", m), 1) for m in (old_month, month_start(TODAY, -1), THIS_MONTH)
        )
        ahead = existing_partitions(connection, "behavior_events")
        assert partition_name("behavior_events", month_start(TODAY, 3)) in ahead
        assert "behavior_events_default" in ahead
        key = connection.execute(text(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'pk_session_events'"
        )).scalar()  # fmt: skip
        assert key == "PRIMARY KEY (id, occurred_at)"
        # Ids go on from the same sequence.
        next_id = connection.execute(text("SELECT nextval('session_events_id_seq')")).scalar()
        assert next_id > 3

    assert flask(env, "data", "partitions").stdout.startswith("created 0 partition(s)")
    result = flask(env, "data", "retention", "--keep-months", "3")
    assert result.returncode == 0, result.stderr
    assert f"detached and dropped partition {partition_name('session_events', old_month)}" in result.stdout
    assert "removed 2 raw rows" in result.stdout
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM session_events")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM learning_sessions")).scalar() == 1

    result = flask(env, "db", "downgrade", BEFORE)
    assert result.returncode == 0, result.stderr
    with engine.connect() as connection:
        kind = connection.execute(
            text("SELECT relkind FROM pg_class WHERE relname = 'session_events'")
        ).scalar()
        assert kind == "r"
        assert connection.execute(text("SELECT count(*) FROM session_events")).scalar() == 2
    engine.dispose()


def test_the_demo_seed_writes_its_events_into_their_months(app, session):
    """A load of past months lands in their partitions, not in the default one (PostgreSQL)."""
    from webapp.services.demo import seed_demo

    end = date(2025, 3, 31)
    seed_demo(session, "tiny", 3, end, derive=False)
    if not is_postgres(session):
        return
    for table in ("session_events", "behavior_events"):
        rows = session.execute(
            text(f"SELECT tableoid::regclass::text, count(*) FROM {table} GROUP BY 1")  # noqa: S608
        ).all()
        found = dict(rows)
        assert sum(found.values()) > 0
        assert f"{table}_default" not in found  # every row in its month's partition
        assert partition_name(table, month_start(end)) in found
