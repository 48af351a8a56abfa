"""The production server: gunicorn with gunicorn.conf.py, a migrated database, a real login."""

import json

import pytest
from werkzeug.security import generate_password_hash

from tests.conftest import make_config
from tests.helpers import DEFAULT_PASSWORD
from tests.serving.live import Browser, gunicorn, production_env
from webapp import create_app
from webapp.extensions import db
from webapp.models import User
from webapp.models.core.enums import Role

pytestmark = pytest.mark.slow


def add_staff(database_url: str, email: str, role: Role = Role.OPERATOR) -> int:
    """Insert a staff user straight into the database; return its id."""
    app = create_app(make_config(database_url))
    with app.app_context():
        user = User(
            email=email,
            display_name="Serving Test",
            role=role,
            password_hash=generate_password_hash(DEFAULT_PASSWORD),
        )
        db.session.add(user)
        db.session.flush()
        user_id = user.id  # read before the commit expires it (a refresh would open a connection)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return user_id


def home_exists(database_url: str) -> bool:
    """Whether this build serves an overview at "/" yet."""
    app = create_app(make_config(database_url))
    return any(rule.rule == "/" for rule in app.url_map.iter_rules())


def test_gunicorn_serves_a_logged_in_page_and_stops_cleanly(migrated_url, tmp_path):
    user_id = add_staff(migrated_url, "ops@example.org")
    # Behind a TLS-terminating proxy: secure cookies, forwarded scheme trusted.
    env = production_env(migrated_url, PROXY_FIX_HOPS="1")
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as server:
        status, _, body = server.request("GET", "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})

        browser = Browser(server, headers={"X-Forwarded-Proto": "https", "User-Agent": "serving-test"})
        status, headers, _ = browser.login("ops@example.org", DEFAULT_PASSWORD)
        assert status == 302, server.output()
        assert headers["location"] == ["/"]

        status, _, body = browser.request("GET", "/")
        if home_exists(migrated_url):
            assert status == 200, server.output()
            assert "<html" in body.lower()
        else:  # the overview is not built yet: the login still holds
            assert status == 404

        status, _, _ = Browser(server).request("GET", "/")
        assert status in {302, 404}
    assert server.process.returncode == 0, server.output()
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith('{"event"')]
    assert any(line["user_id"] == user_id and line["path"] == "/" for line in lines)
    assert "Shutting down: Master" in server.output()
