"""Reports on a read replica: a real PostgreSQL streaming replica on this machine (pg_basebackup -R
into a second cluster), the report pages served from it, what a page says while it lags, and the
primary taking over when it is down."""

import logging
import time

import psycopg
import pytest
from sqlalchemy import create_engine

from tests.conftest import make_config
from tests.factories import make_learner, make_operator
from tests.pgproc import postgres_server, standby_of
from tests.reports.support import client_for
from webapp import create_app
from webapp.config import normalise_database_url
from webapp.extensions import db
from webapp.models import User, metadata
from webapp.replica import LAG_SQL

pytestmark = pytest.mark.slow


def wait_for(condition, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def on_replica(url: str, sql: str):
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(sql).fetchone()
        return row[0] if row else None  # not replicated yet


def test_report_pages_read_from_a_streaming_replica(caplog):
    with postgres_server() as primary:
        with psycopg.connect(primary.url, autocommit=True) as connection:
            connection.execute("CREATE DATABASE app")
        primary_url = primary.url.rsplit("/", 1)[0] + "/app"
        engine = create_engine(normalise_database_url(primary_url))
        metadata.create_all(engine)
        engine.dispose()
        with standby_of(primary) as standby:
            replica_url = standby.url.rsplit("/", 1)[0] + "/app"
            assert on_replica(replica_url, "SELECT pg_is_in_recovery()") is True
            config = make_config(
                normalise_database_url(primary_url),
                REPLICA_DATABASE_URL=replica_url,
                REPLICA_LAG_NOTICE_SECONDS=1.0,
                REPLICA_RETRY_SECONDS=60.0,
            )
            app = create_app(config)
            with app.app_context():
                operator = make_operator(db.session, email="ops@example.org")
                learner = make_learner(db.session, display_name="Meera Before")
                db.session.commit()
                page = f"/reports/learners/{learner.id}"
                name_on_replica = f"SELECT display_name FROM users WHERE id = {learner.id}"  # noqa: S608

                def replicated(name: str) -> bool:
                    return _try(replica_url, name_on_replica) == name

                wait_for(lambda: replicated("Meera Before"), "the learner on the replica")
                client = client_for(app, operator.email)

                response = client.get(page)
                assert response.status_code == 200
                assert "Meera Before" in response.get_data(as_text=True)
                assert "read from a replica" not in response.get_data(as_text=True)

                # Replay paused: the primary moves on, the replica (and so the page) does not.
                on_replica(replica_url, "SELECT pg_wal_replay_pause()")
                db.session.get(User, learner.id).display_name = "Meera After"
                db.session.commit()
                wait_for(lambda: float(on_replica(replica_url, LAG_SQL)) > 1.5, "the replica to lag")
                body = client.get(page).get_data(as_text=True)
                assert "Meera Before" in body  # served from the replica
                assert "Meera After" not in body
                assert "Figures read from a replica" in body
                assert " s behind" in body

                on_replica(replica_url, "SELECT pg_wal_replay_resume()")
                wait_for(lambda: replicated("Meera After"), "replay to catch up")
                body = client.get(page).get_data(as_text=True)
                assert "Meera After" in body
                assert "read from a replica" not in body
                csv = client.get(f"/reports/learners/{learner.id}/calendar.csv")
                assert csv.status_code in (200, 404)  # a CSV reads through the same session

                standby.stop()
                caplog.set_level(logging.WARNING, logger="webapp.replica")
                db.session.get(User, learner.id).display_name = "Meera Primary"
                db.session.commit()
                response = client.get(page)
                assert response.status_code == 200
                assert "Meera Primary" in response.get_data(as_text=True)  # the primary's figures
                assert "replica unreachable: report reads go to the primary" in caplog.text
                db.session.remove()
                app.extensions["replica"].engine.dispose()
                db.engine.dispose()


def _try(url: str, sql: str):
    try:
        return on_replica(url, sql)
    except psycopg.Error:
        return None
