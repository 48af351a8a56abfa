"""The report cache: keyed by a generation that `invalidate_reports()` bumps, shared through Redis."""

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import make_config
from tests.redisproc import redis_server
from tests.serving.live import free_port
from webapp import create_app
from webapp.extensions import cache as flask_cache
from webapp.services.cache import cache_key, cached, generation, invalidate_reports


class Counter:
    """A compute function that counts its calls."""

    def __init__(self, value=None) -> None:
        self.calls, self.value = 0, value

    def __call__(self):
        self.calls += 1
        return self.value


def make_app(**overrides) -> Flask:
    return create_app(make_config("sqlite://", **overrides))


@pytest.fixture
def simple_app() -> Iterator[Flask]:
    """An app with the default in-process cache."""
    app = make_app(CACHE_TYPE="SimpleCache")
    with app.app_context():
        yield app


def test_a_value_is_computed_once_per_params(simple_app):
    compute = Counter({"rows": [1, 2]})
    assert cached("engagement", {"groups": [1], "days": 30}, compute) == {"rows": [1, 2]}
    assert cached("engagement", {"days": 30, "groups": [1]}, compute) == {"rows": [1, 2]}
    assert compute.calls == 1
    cached("engagement", {"groups": [2], "days": 30}, compute)
    cached("attention", {"groups": [1], "days": 30}, compute)
    assert compute.calls == 3


def test_empty_results_are_cached_too(simple_app):
    compute = Counter(None)
    cached("empty", {}, compute)
    cached("empty", {}, compute)
    assert compute.calls == 1


def test_invalidation_bumps_the_generation_and_recomputes(simple_app):
    compute = Counter([1])
    before = generation()
    cached("engagement", {"g": 1}, compute)
    assert invalidate_reports() > before
    assert generation() > before
    cached("engagement", {"g": 1}, compute)
    assert compute.calls == 2
    assert cache_key("engagement", {"g": 1}, before) != cache_key("engagement", {"g": 1}, generation())


def test_a_lost_generation_never_revives_old_entries(simple_app):
    compute = Counter([1])
    cached("engagement", {}, compute)
    flask_cache.delete("reports:generation")  # evicted, or the cache server restarted
    cached("engagement", {}, compute)
    assert compute.calls == 2


def test_the_default_cache_is_in_process_and_the_test_suite_caches_nothing():
    assert type(make_app(CACHE_TYPE="SimpleCache").extensions["cache"][flask_cache]).__name__ == "SimpleCache"
    assert type(make_app().extensions["cache"][flask_cache]).__name__ == "NullCache"


def test_redis_url_selects_redis(monkeypatch):
    from webapp.config import Config

    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/0")
    config = Config()
    assert (config.CACHE_TYPE, config.CACHE_REDIS_URL) == ("RedisCache", "redis://127.0.0.1:6379/0")


def test_a_dead_cache_server_degrades_to_computing(caplog):
    app = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    compute = Counter(7)
    with app.app_context():
        assert cached("x", {}, compute) == 7
        assert cached("x", {}, compute) == 7
        invalidate_reports()
    assert compute.calls == 2
    assert "report cache unavailable" in caplog.text


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A private redis-server on a free loopback port."""
    with redis_server(tmp_path) as server:
        yield server.url


def test_app_servers_share_values_and_invalidation_through_redis(redis_url):
    one = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    two = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    compute = Counter({"kpi": 3})
    with one.app_context():
        assert cached("overview", {"g": 1}, compute) == {"kpi": 3}
    with two.app_context():
        assert cached("overview", {"g": 1}, compute) == {"kpi": 3}
        invalidate_reports()
    with one.app_context():
        cached("overview", {"g": 1}, compute)
    assert compute.calls == 2
