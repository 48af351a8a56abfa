"""The email-uniqueness migration: it stops on shared addresses, says which, and the CLI repairs them."""

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS, _require_postgres
from tests.dbutil import scratch_postgres_database
from tests.serving.live import flask, production_env
from webapp.config import normalise_database_url

pytestmark = pytest.mark.slow
# The revision just before 0010_email_unique_ci, where a database with shared addresses stops.
BEFORE = "0009_saved_view_sharing"

INSERT = text(
    "INSERT INTO users (id, email, display_name, role, timezone, locale, session_version, is_active,"
    " created_at, updated_at) VALUES (:id, :email, :name, :role, 'UTC', 'en', 0, :active, :now, :now)"
)


@pytest.fixture(params=BACKENDS)
def before_uniqueness(request, tmp_path) -> Iterator[str]:
    """A database migrated to the revision before uniqueness, holding two shared addresses."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/before.db"
        yield from _prepared(url)
        return
    with scratch_postgres_database(_require_postgres(), "emails") as url:
        yield from _prepared(url)


def _prepared(url: str) -> Iterator[str]:
    result = flask(production_env(url), "db", "upgrade", BEFORE)
    assert result.returncode == 0, result.stderr
    rows = [
        (1, "admin@school.example", "Admin", "admin"),
        (2, "ADMIN@School.example", "Shadow", "learner"),
        (3, "asha@school.example", "Asha", "learner"),
        (4, "Asha@school.example", "Asha again", "learner"),
        (5, "ravi@school.example", "Ravi", "learner"),
    ]
    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        for user_id, email, name, role in rows:
            values = {"id": user_id, "email": email, "name": name, "role": role, "active": True}
            conn.execute(INSERT, {**values, "now": "2026-01-01 00:00:00+00:00"})
    engine.dispose()
    yield url


def test_the_upgrade_stops_lists_the_duplicates_and_changes_nothing(before_uniqueness):
    env = production_env(before_uniqueness)
    result = flask(env, "db", "upgrade")
    assert result.returncode == 1
    assert "2 address(es) belong to several accounts" in result.stderr
    assert "admin@school.example: #1 admin@school.example (admin), #2 ADMIN@School.example (learner)" in (
        result.stderr
    )
    assert "users change-email" in result.stderr
    assert "Traceback" not in result.stderr
    assert flask(env, "db", "current").stdout.split()[0] == BEFORE


def test_the_users_commands_repair_them_and_the_upgrade_then_passes(before_uniqueness):
    env = production_env(before_uniqueness)
    listed = flask(env, "users", "duplicates")
    assert listed.returncode == 0
    assert (
        "asha@school.example\t#3 asha@school.example (learner), #4 Asha@school.example (learner)"
        in listed.stdout
    )
    ambiguous = flask(env, "users", "change-email", "ADMIN@school.example", "x@school.example")
    assert ambiguous.returncode == 1
    assert "2 accounts have the email" in ambiguous.stderr
    taken = flask(env, "users", "change-email", "2", "RAVI@school.example")
    assert taken.returncode == 1
    assert "account #5 already has the email" in taken.stderr
    assert flask(env, "users", "change-email", "2", "shadow@school.example").returncode == 0
    assert flask(env, "users", "change-email", "4", "asha.k@school.example").returncode == 0
    assert "no email is shared" in flask(env, "users", "duplicates").stdout
    result = flask(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "account #5 already has" in flask(env, "users", "change-email", "3", "Ravi@School.example").stderr
