"""End to end: `analytics refresh` writes rollups, then the report cache starts a new generation."""

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import make_config
from webapp import create_app
from webapp.extensions import db
from webapp.services.cache import cached, generation


@pytest.fixture
def caching_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """A second app on the suite's database, with the in-process cache switched on."""
    caching = create_app(make_config(database_url, CACHE_TYPE="SimpleCache"))
    if "analytics" not in caching.cli.commands:
        pytest.skip("`flask analytics` is not built yet")
    with caching.app_context():
        yield caching
        db.session.remove()
        db.engine.dispose()


def test_analytics_refresh_invalidates_cached_reports(caching_app):
    calls = []
    cached("overview", {"groups": None}, lambda: calls.append(1))
    before = generation()
    result = caching_app.test_cli_runner().invoke(args=["analytics", "refresh"])
    assert result.exit_code == 0, result.output
    assert generation() != before
    cached("overview", {"groups": None}, lambda: calls.append(1))
    assert len(calls) == 2


def test_the_refresh_service_itself_invalidates_cached_reports(caching_app):
    """Whoever runs a refresh (the command, a job, a test), the pages read its rollups next."""
    from webapp.services.analytics.rollups import refresh

    calls = []
    cached("overview", {"groups": None}, lambda: calls.append(1))
    before = generation()
    refresh(db.engine)
    assert generation() != before
    cached("overview", {"groups": None}, lambda: calls.append(1))
    assert len(calls) == 2
