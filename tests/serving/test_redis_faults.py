"""A hung or dead Redis costs one short timeout, then the app goes on without it (item by item).

The tests run their own redis-server, freeze it with SIGSTOP (a hung Redis:
connections open, nothing answers) and kill it; the machine's Redis is never
touched. A request that waited on Redis would hit the HTTP client's timeout.
"""

import json
import logging
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import make_config
from tests.helpers import DEFAULT_PASSWORD
from tests.redisproc import RedisProcess, redis_server
from tests.serving.live import Browser, gunicorn, production_env
from tests.serving.test_gunicorn import add_staff
from webapp import create_app
from webapp.services.cache import cached


@pytest.fixture
def redis(tmp_path) -> Iterator[RedisProcess]:
    with redis_server(tmp_path) as server:
        yield server


def _redis_app(url: str, **overrides) -> Flask:
    return create_app(make_config("sqlite://", CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url, **overrides))


def test_a_hung_cache_costs_one_timeout_then_is_skipped(redis, caplog):
    app = _redis_app(redis.url)
    calls = []
    with app.app_context(), caplog.at_level(logging.WARNING, logger="webapp.redis"):
        assert cached("kpi", {}, lambda: calls.append(1) or 7) == 7
        assert cached("kpi", {}, lambda: calls.append(1) or 7) == 7  # from Redis
        redis.pause()
        for n in range(50):  # a page asks the cache many times: only the first one waits
            assert cached("kpi", {"n": n}, lambda: calls.append(1) or 8) == 8
    assert len(calls) == 51
    lines = [r.getMessage() for r in caplog.records if r.name == "webapp.redis"]
    assert len(lines) == 1, lines
    assert lines[0].startswith("report cache unavailable (TimeoutError")


def test_the_cache_is_used_again_once_redis_answers(redis, caplog):
    app = _redis_app(redis.url, REDIS_RETRY_SECONDS=0.01)
    with app.app_context(), caplog.at_level(logging.WARNING, logger="webapp.redis"):
        redis.pause()
        assert cached("kpi", {}, lambda: 1) == 1
        redis.resume()
        time.sleep(0.05)  # past the retry delay
        cached("kpi", {}, lambda: 2)
        assert cached("kpi", {}, lambda: 3) == 2
    assert "report cache answers again" in caplog.text


@pytest.mark.slow
def test_gunicorn_serves_pages_health_and_logins_with_redis_hung_then_dead(migrated_url, tmp_path, redis):
    add_staff(migrated_url, "ops@example.org")
    env = production_env(migrated_url, PROXY_FIX_HOPS="1", CACHE_REDIS_URL=redis.url)
    https = {"X-Forwarded-Proto": "https", "User-Agent": "serving-test"}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as server:
        browser = Browser(server, headers=https)
        assert browser.login("ops@example.org", DEFAULT_PASSWORD)[0] == 302
        assert browser.request("GET", "/reports/engagement")[0] == 200
        for fault in (redis.pause, redis.kill):
            fault()
            status, _, body = server.request("GET", "/healthz")
            assert (status, json.loads(body)) == (200, {"status": "ok"})
            for path in ("/", "/reports/engagement", "/reports/attention", "/admin/badge/"):
                assert browser.request("GET", path)[0] == 200, (path, server.output())
            assert Browser(server, headers=https).login("ops@example.org", "wrong password")[0] == 200
            assert Browser(server, headers=https).login("ops@example.org", DEFAULT_PASSWORD)[0] == 302
        log = server.output()
        assert "report cache unavailable (TimeoutError" in log
        assert "Rate limit storage unreachable - falling back to in-memory storage" in log
        assert "Internal Server Error" not in log
