"""Report reads from a read replica: with REPLICA_DATABASE_URL set, report pages and their CSVs
query a PostgreSQL streaming replica, and everything else (logins, writes, jobs) the primary.

A replica can fall behind (replay paused, a slow link) or be down. Each report request asks
the replica how far behind it is: past REPLICA_LAG_NOTICE_SECONDS the page says so; when the
replica does not answer, the request reads from the primary, a log line says why, and the
replica is left alone for REPLICA_RETRY_SECONDS so that pages do not wait on it each time.
"""

import logging
import time
from dataclasses import dataclass, field

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from webapp.config import normalise_database_url
from webapp.extensions import db
from webapp.i18n import number, tr

log = logging.getLogger(__name__)

# Seconds behind the primary: 0 while the replica has replayed all it received (an idle primary
# sends nothing, and the time of the last replayed commit then says nothing of lag).
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


@dataclass
class Replica:
    """The replica's engine and when it may be tried again after a failure."""

    engine: Engine
    retry_seconds: float
    down_until: float = field(default=0.0)


def init_replica(app: Flask) -> None:
    """Create the replica's engine when REPLICA_DATABASE_URL is set (nothing connects yet)."""
    url = app.config.get("REPLICA_DATABASE_URL")
    if not url:
        return
    url = normalise_database_url(url)
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        timeout = max(1, round(app.config.get("REPLICA_CONNECT_TIMEOUT", 2)))
        options["connect_args"] = {"connect_timeout": timeout}
    engine = create_engine(url, **options)
    app.extensions["replica"] = Replica(engine, app.config.get("REPLICA_RETRY_SECONDS", 30))
    app.teardown_request(_close_report_session)  # one lag reading per request
    app.context_processor(lambda: {"replica_notice": replica_notice})


def report_session() -> Session:
    """The session report queries read through: the replica's when it answers, else the primary's."""
    if "report_session" in g:
        return g.report_session
    replica: Replica | None = current_app.extensions.get("replica")
    g.replica_lag = None
    g.report_session = db.session
    if replica is None or time.monotonic() < replica.down_until:
        return g.report_session
    session = Session(bind=replica.engine)
    try:
        lag = session.connection().exec_driver_sql(LAG_SQL).scalar() if _is_postgres(replica) else 0
    except SQLAlchemyError as exc:
        session.close()
        replica.down_until = time.monotonic() + replica.retry_seconds
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        log.warning(
            "replica unreachable: report reads go to the primary for %ss (%s)", replica.retry_seconds, reason
        )
        return g.report_session
    g.replica_lag = float(lag or 0)
    g.report_session = session
    return session


def replica_notice() -> str:
    """What a report page says when its figures come from a replica that lags ("" otherwise)."""
    lag = g.get("replica_lag")
    threshold = current_app.config.get("REPLICA_LAG_NOTICE_SECONDS", 30)
    if lag is None or lag <= threshold:
        return ""
    return tr("Figures read from a replica %(seconds)s s behind: the latest activity may be missing.") % {
        "seconds": number(lag)
    }


def _is_postgres(replica: Replica) -> bool:
    return replica.engine.dialect.name == "postgresql"


def _close_report_session(_exc: BaseException | None = None) -> None:
    g.pop("replica_lag", None)
    session = g.pop("report_session", None)
    if session is None or session is db.session:
        return
    try:
        session.close()
    except SQLAlchemyError as exc:  # the replica went away during the request: nothing to keep
        log.warning("replica session not closed cleanly: %s", type(exc).__name__)
