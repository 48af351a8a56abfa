"""Start-up failures: one clear line and a non-zero exit, from flask and from gunicorn."""

import pytest

from tests.serving.live import flask, free_port, production_env, start_gunicorn, stop
from webapp.config import Config, ConfigError


def test_missing_secret_key_stops_flask_with_one_line(tmp_path):
    env = production_env(f"sqlite:///{tmp_path}/app.db")
    del env["SECRET_KEY"]
    result = flask(env, "routes")
    assert result.returncode != 0
    assert result.stderr.strip() == "error: SECRET_KEY is not set: export SECRET_KEY (a long random string)"


def test_unreachable_database_stops_flask_with_one_line():
    env = production_env("postgresql://app:hunter2@127.0.0.1:1/school")
    result = flask(env, "routes")
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: database unreachable at postgresql+psycopg://app:***@127.0.0.1:1/school: ")
    assert "hunter2" not in result.stderr


def test_the_check_can_be_switched_off_for_maintenance():
    env = production_env("postgresql://app@127.0.0.1:1/school", CHECK_DATABASE_AT_START="0")
    result = flask(env, "routes")
    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_to_start_without_a_database(tmp_path):
    env = production_env("postgresql://app@127.0.0.1:1/school")
    log = tmp_path / "gunicorn.log"
    process = start_gunicorn(env, log, free_port())
    try:
        returncode = process.wait(timeout=60)
    finally:
        stop(process)
    assert returncode != 0
    assert "error: database unreachable at postgresql+psycopg://app@127.0.0.1:1/school" in log.read_text()


def test_production_config_requires_a_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Config().validate()
