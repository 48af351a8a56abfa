"""Login throttling: failures only, shared by every worker, per account and per address, never a lockout."""

import logging
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import factories as f
from tests.conftest import make_config
from tests.helpers import DEFAULT_PASSWORD, csrf_token_from
from tests.redisproc import redis_server
from webapp import create_app
from webapp.auth import throttle
from webapp.auth.throttle import RULES, Rule
from webapp.auth.throttle_store import Count
from webapp.extensions import db
from webapp.models import LoginFailure


class Clock:
    """The throttle's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(throttle, "now", clock)
    return clock


def _app(database_url: str, **overrides) -> Flask:
    return create_app(make_config(database_url, RATELIMIT_ENABLED=True, **overrides))


@pytest.fixture
def workers(app: Flask, database_url: str) -> Iterator[list[Flask]]:
    """Two more apps over the same (emptied) database: two workers of one server, throttled."""
    apps = [_app(database_url), _app(database_url)]
    yield apps
    for other in apps:
        with other.app_context():
            db.engine.dispose()


def attempt(app: Flask, email: str, password: str, address: str, client: FlaskClient | None = None) -> int:
    """One login POST (with a valid CSRF token) from address; return the status."""
    client = client or app.test_client()
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_token_from(page)}
    return client.post("/login", data=data, environ_base=environ).status_code


def test_failures_are_counted_across_workers(session, workers, clock):
    teacher = f.make_teacher(session)
    session.commit()
    statuses = [attempt(workers[n % 2], teacher.email, "wrong guess", "10.0.0.7") for n in range(8)]
    assert statuses == [200] * 5 + [429] * 3


def test_thirty_teachers_behind_one_address_all_log_in(session, workers, clock):
    teachers = [f.make_teacher(session) for _ in range(30)]
    session.commit()
    statuses = []
    for n, teacher in enumerate(teachers):
        if n % 3 == 0:  # every third one mistypes first
            assert attempt(workers[n % 2], teacher.email, "typo", "203.0.113.9") == 200
        statuses.append(attempt(workers[n % 2], teacher.email, DEFAULT_PASSWORD, "203.0.113.9"))
        clock.advance(1.5)
    assert statuses == [302] * 30


def test_a_stranger_cannot_keep_a_teacher_out(session, workers, clock):
    teacher = f.make_teacher(session)
    session.commit()
    her_browser = workers[0].test_client()
    assert attempt(workers[0], teacher.email, DEFAULT_PASSWORD, "198.51.100.1", her_browser) == 302
    for n in range(40):  # a stranger guesses from 40 addresses, as fast as the throttle lets through
        attempt(workers[n % 2], teacher.email, f"guess {n}", f"10.66.0.{n}")
        clock.advance(0.5)
    assert attempt(workers[1], teacher.email, "next guess", "10.77.0.1") == 429
    # Her browser logs in from a fresh address at once; a new browser waits a minute at most.
    assert attempt(workers[1], teacher.email, DEFAULT_PASSWORD, "192.0.2.50", her_browser) == 302
    new_browser = workers[1].test_client()
    assert attempt(workers[1], teacher.email, DEFAULT_PASSWORD, "192.0.2.51", new_browser) == 429
    clock.advance(RULES["account"].cap)
    assert attempt(workers[1], teacher.email, DEFAULT_PASSWORD, "192.0.2.51", new_browser) == 302


def test_refusals_say_how_long_to_wait_and_keep_the_form(session, workers, clock):
    for _ in range(5):
        attempt(workers[0], "someone@example.org", "x", "10.3.0.1")
    client = workers[0].test_client()
    environ = {"REMOTE_ADDR": "10.3.0.1"}
    page = client.get("/login", environ_base=environ)
    assert page.status_code == 200  # GET is never throttled
    data = {"email": "someone@example.org", "password": "x", "csrf_token": csrf_token_from(page.text)}
    response = client.post("/login", data=data, environ_base=environ)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert "Try again in 2 s." in response.text
    assert 'name="password"' in response.text
    assert "Traceback" not in response.text


def test_unknown_emails_are_throttled_like_real_ones(session, workers, clock):
    real = f.make_teacher(session)
    session.commit()
    statuses = {}
    for email in (real.email, f"nobody-{uuid.uuid4().hex[:6]}@example.org"):
        statuses[email] = [attempt(workers[0], email, "wrong", "10.4.0.1") for _ in range(7)]
        clock.advance(3600)
    assert len(set(map(tuple, statuses.values()))) == 1


def test_one_address_trying_many_accounts_is_slowed(session, workers, clock):
    statuses = [attempt(workers[0], f"user{n}@example.org", "guess", "10.5.0.1") for n in range(24)]
    assert statuses[:20] == [200] * 20
    assert 429 in statuses[20:]


def test_a_success_clears_only_its_own_address_key(session, workers, clock):
    teacher = f.make_teacher(session)
    session.commit()
    for _ in range(5):
        attempt(workers[0], teacher.email, "wrong", "10.6.0.1")
    assert attempt(workers[0], teacher.email, DEFAULT_PASSWORD, "10.6.0.1") == 429
    clock.advance(2)
    assert attempt(workers[0], teacher.email, DEFAULT_PASSWORD, "10.6.0.1") == 302
    assert attempt(workers[0], teacher.email, "wrong", "10.6.0.1") == 200  # counted afresh


def test_counts_are_stored_as_digests_only(session, workers, clock):
    attempt(workers[0], "secret.person@example.org", "wrong", "10.8.0.1")
    rows = session.scalars(select(LoginFailure)).all()
    assert sorted(r.scope for r in rows) == ["account", "address", "pair"]
    assert all(
        len(r.key_digest) == 64 and "@" not in r.key_digest and "10.8" not in r.key_digest for r in rows
    )


@pytest.mark.parametrize(
    ("failures", "ago", "wait"),
    [
        (4, 0, 0),
        (5, 0, 2),
        (6, 0, 4),
        (6, 3, 1),
        (12, 0, 256),
        (13, 0, 300),
        (99, 0, 300),
        (99, 301, 0),
        (9, 901, 0),
    ],
)
def test_the_wait_doubles_from_the_last_failure_and_is_capped(failures, ago, wait):
    assert RULES["pair"].wait(Count(failures, 1000.0), 1000.0 + ago) == wait


def test_ipv6_addresses_count_per_network():
    assert throttle.address_key("2001:db8:1:2:3:4:5:6") == throttle.address_key("2001:db8:1:2::9")
    assert throttle.address_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert throttle.address_key("not an address") == "unknown"


def test_a_rule_never_waits_before_its_free_failures():
    assert Rule(free=3, base=1, cap=10).wait(Count(2, 0.0), 0.0) == 0
    assert Rule(free=3, base=1, cap=10).wait(Count(3, 0.0), 0.0) == 1


def test_redis_shares_the_count_and_the_database_stands_in_when_it_hangs(
    session, database_url, tmp_path, clock, caplog
):
    teacher = f.make_teacher(session)
    session.commit()
    with redis_server(tmp_path) as redis:
        apps = [_app(database_url, RATELIMIT_STORAGE_URI=redis.url) for _ in range(2)]
        assert type(apps[0].extensions["login_throttle"].store).__name__ == "RedisStore"
        statuses = [attempt(apps[n % 2], teacher.email, "wrong", "10.9.0.1") for n in range(6)]
        assert statuses == [200] * 5 + [429]
        assert session.scalars(select(LoginFailure)).all() == []  # counted in Redis
        redis.pause()
        with caplog.at_level(logging.WARNING, logger="webapp.redis"):
            other = [attempt(apps[0], teacher.email, "wrong", "10.9.0.2") for _ in range(6)]
            ok = attempt(apps[1], teacher.email, DEFAULT_PASSWORD, "10.9.0.3")
        assert other == [200] * 5 + [429]
        assert ok == 302
        assert "login throttle store (Redis) unavailable (TimeoutError" in caplog.text
        assert session.scalars(select(LoginFailure)).all() != []  # counted in the database
        redis.kill()
        assert attempt(apps[0], teacher.email, DEFAULT_PASSWORD, "10.9.0.4") == 302
        for other_app in apps:
            with other_app.app_context():
                db.engine.dispose()
