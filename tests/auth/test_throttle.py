"""Login throttling: a clear 429 page per email and per address; Redis shares the count."""

import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import make_config
from tests.helpers import csrf_token_from
from webapp import create_app
from webapp.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/15"


def _throttled_app(database_url: str, **overrides) -> Flask:
    return create_app(
        make_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", **overrides)
    )


@pytest.fixture
def throttled(app: Flask, database_url: str) -> Iterator[Flask]:
    """A second app over the same (emptied) database, with a limit of 3 logins a minute."""
    other = _throttled_app(database_url)
    yield other
    with other.app_context():
        db.engine.dispose()


def _attempt(app: Flask, email: str, address: str) -> int:
    """One login POST (with a valid CSRF token) from address; return the status."""
    client = app.test_client()
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    data = {"email": email, "password": "not the password", "csrf_token": csrf_token_from(page)}
    return client.post("/login", data=data, environ_base=environ).status_code


def test_same_email_from_many_addresses_gets_429(throttled):
    email = f"{uuid.uuid4().hex}@example.org"
    statuses = [_attempt(throttled, email, f"10.1.0.{n}") for n in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]


def test_same_address_with_many_emails_gets_429(throttled):
    address = "10.2.0.1"
    statuses = [_attempt(throttled, f"{n}-{uuid.uuid4().hex}@example.org", address) for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_429_page_is_clear_and_the_form_stays_readable(throttled):
    for _ in range(3):
        _attempt(throttled, "someone@example.org", "10.3.0.1")
    client = throttled.test_client()
    environ = {"REMOTE_ADDR": "10.3.0.1"}
    page = client.get("/login", environ_base=environ)
    assert page.status_code == 200  # GET is never throttled
    data = {"email": "someone@example.org", "password": "x", "csrf_token": csrf_token_from(page.text)}
    response = client.post("/login", data=data, environ_base=environ)
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "Traceback" not in response.text


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_redis_storage_is_shared_by_two_app_servers(app, database_url):
    first = _throttled_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL)
    second = _throttled_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL)
    assert type(first.extensions["login_limiter"].storage).__name__ == "RedisStorage"
    email, address = f"{uuid.uuid4().hex}@example.org", f"10.9.{uuid.uuid4().int % 250}.1"
    statuses = [_attempt(server, email, address) for server in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]
    for server in (first, second):
        with server.app_context():
            db.engine.dispose()


def test_memory_storage_by_default(throttled):
    assert type(throttled.extensions["login_limiter"].storage).__name__ == "MemoryStorage"
