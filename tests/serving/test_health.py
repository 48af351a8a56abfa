"""/healthz: 200 at head, 503 with two bare flags when the database is behind or gone."""

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_config
from tests.serving.live import flask, production_env
from webapp import create_app
from webapp.config import normalise_database_url
from webapp.extensions import db


def healthz(database_url: str):
    """GET /healthz anonymously from a fresh app; return (status, json)."""
    app = create_app(make_config(database_url))
    response = app.test_client().get("/healthz")
    with app.app_context():
        db.engine.dispose()
    return response.status_code, response.get_json()


def execute(database_url: str, sql: str) -> None:
    engine = create_engine(normalise_database_url(database_url))
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_healthz_at_head_is_ok(migrated_url):
    assert healthz(migrated_url) == (200, {"status": "ok"})


def test_healthz_after_a_downgrade_is_unavailable(migrated_url):
    result = flask(production_env(migrated_url), "db", "downgrade")
    assert result.returncode == 0, result.stderr
    assert healthz(migrated_url) == (503, {"status": "unavailable", "database": True, "migrations": False})


def test_healthz_with_an_unknown_revision_is_unavailable(migrated_url):
    execute(migrated_url, "UPDATE alembic_version SET version_num = '0000_from_the_future'")
    assert healthz(migrated_url) == (503, {"status": "unavailable", "database": True, "migrations": False})


def test_healthz_on_a_database_never_migrated_is_unavailable(empty_url):
    assert healthz(empty_url) == (503, {"status": "unavailable", "database": True, "migrations": False})


@pytest.mark.parametrize(
    "url",
    ["postgresql://nobody@127.0.0.1:1/nowhere", "sqlite:////nonexistent-dir/for/sure/app.db"],
    ids=["postgresql", "sqlite"],
)
def test_healthz_without_a_database_is_unavailable_and_says_nothing_more(url):
    status, body = healthz(normalise_database_url(url))
    assert (status, body) == (503, {"status": "unavailable", "database": False, "migrations": False})


def test_healthz_needs_no_login_csrf_or_session(migrated_url):
    app = create_app(make_config(migrated_url, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    for _ in range(30):  # never rate limited
        response = client.get("/healthz")
        assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.post("/healthz").status_code == 405
    with app.app_context():
        db.engine.dispose()
