"""PostgreSQL down: signed-in users get a 503 page that needs no database, and pages come back with it."""

import json

import pytest

from tests.helpers import DEFAULT_PASSWORD
from tests.pgproc import postgres_server
from tests.serving.live import Browser, flask, gunicorn, production_env
from tests.serving.test_gunicorn import add_staff
from webapp.config import normalise_database_url

pytestmark = pytest.mark.slow

PAGES = ("/", "/reports/engagement", "/admin/", "/admin/badge/", "/no/such/page", "/static/app.css")


def test_a_signed_in_user_gets_a_503_page_while_postgresql_is_down(tmp_path):
    with postgres_server() as postgres:
        url = normalise_database_url(postgres.url)
        env = production_env(url, PROXY_FIX_HOPS="1")
        assert flask(env, "db", "upgrade").returncode == 0
        add_staff(url, "ops@example.org")
        with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as server:
            browser = Browser(server, headers={"X-Forwarded-Proto": "https", "User-Agent": "serving-test"})
            assert browser.login("ops@example.org", DEFAULT_PASSWORD)[0] == 302
            assert browser.request("GET", "/")[0] == 200

            postgres.stop()
            for path in PAGES[:-1]:
                status, headers, body = browser.request("GET", path)
                assert status == 503, (path, status, body[:300])
                assert "cannot reach its database" in body
                assert headers["retry-after"] == ["30"]
                assert "psycopg" not in body
                assert "Traceback" not in body
            assert browser.request("GET", PAGES[-1])[0] == 200  # static files need no database
            status, _, body = server.request("GET", "/healthz")
            assert (status, json.loads(body)["database"]) == (503, False)
            anonymous = Browser(server, headers={"X-Forwarded-Proto": "https", "User-Agent": "serving-test"})
            assert anonymous.login("ops@example.org", DEFAULT_PASSWORD)[0] == 503

            postgres.start()
            assert browser.request("GET", "/")[0] == 200
            assert server.request("GET", "/healthz")[0] == 200
        assert "Internal Server Error" not in server.output()
        assert "database unavailable: OperationalError" in server.output()
