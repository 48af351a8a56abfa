"""Shared fixtures: an app and a database per backend (SQLite always, PostgreSQL when given)."""

from collections.abc import Iterator

import pytest
from flask import Flask, g, request_started
from sqlalchemy import text

from tests.dbutil import in_ci, postgres_base_url, scratch_postgres_database
from webapp import create_app
from webapp.config import TestingConfig
from webapp.extensions import db
from webapp.models import metadata

BACKENDS = ["sqlite", "postgresql"]


def _require_postgres() -> str:
    base = postgres_base_url()
    if base:
        return base
    if in_ci():
        pytest.fail("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests cannot be skipped in CI")
    pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1/test)")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """An empty database for this test session, one per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite')}/test.db"
        return
    with scratch_postgres_database(_require_postgres(), "suite") as url:
        yield url


def make_config(database_url: str, **overrides) -> TestingConfig:
    """A testing config bound to a database, with optional overrides."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture(scope="session")
def _session_app(database_url: str) -> Iterator[Flask]:
    app = create_app(make_config(database_url))
    # Tests hold an app context open, and Flask reuses it for test-client requests, so g
    # (where Flask-Login keeps the current user) would leak between clients. Each request
    # of a real server has its own g; make each test request start like one.
    request_started.connect(_forget_user, app, weak=False)
    with app.app_context():
        metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.engine.dispose()


def _forget_user(sender: Flask, **extra) -> None:
    g.pop("_login_user", None)


def _empty_all_tables() -> None:
    tables = list(reversed(metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    """The app with an app context pushed; every table is emptied afterwards."""
    with _session_app.app_context():
        yield _session_app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()


@pytest.fixture
def session(app: Flask):
    """The SQLAlchemy session of the app under test."""
    return db.session


@pytest.fixture
def client(app: Flask):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner of the app."""
    return app.test_cli_runner()
