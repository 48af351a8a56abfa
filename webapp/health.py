"""`/healthz` for load balancers, and the start-up check that the database answers.

The endpoint is unauthenticated, exempt from CSRF and rate limits, and says
nothing beyond two flags: does the database answer, are migrations at head.
"""

from functools import cache as memoize

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from webapp.config import ConfigError
from webapp.extensions import csrf, db

bp = Blueprint("health", __name__)


@memoize
def migration_heads(directory: str) -> frozenset[str]:
    """Return the head revisions of the migration scripts (read once per process)."""
    return frozenset(ScriptDirectory(directory).get_heads())


def database_status(engine: Engine, migrations_dir: str) -> dict[str, bool]:
    """Return {"database": answers, "migrations": at head} for this engine."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError:
        return {"database": False, "migrations": False}
    return {"database": True, "migrations": current == migration_heads(migrations_dir)}


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers and is migrated to head, 503 otherwise."""
    status = database_status(db.engine, current_app.extensions["migrate"].directory)
    if all(status.values()):
        return jsonify(status="ok")
    return jsonify(status="unavailable", **status), 503


def register_health(app: Flask) -> None:
    """Attach /healthz, exempt from CSRF and from every rate limiter of the app."""
    csrf.exempt(bp)
    for limiter in app.extensions.get("limiter", ()):
        limiter.exempt(bp)
    app.register_blueprint(bp)


def require_database(app: Flask) -> None:
    """Raise ConfigError (one line) when the configured database does not answer."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise ConfigError(f"database unreachable at {url}: {reason}") from None
        finally:
            # Forked server workers must not inherit this connection.
            db.engine.dispose()
