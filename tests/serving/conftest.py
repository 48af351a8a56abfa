"""Fixtures of the serving tests: databases migrated by `flask db upgrade`, one per backend."""

from collections.abc import Iterator

import pytest

from tests.conftest import BACKENDS, _require_postgres
from tests.dbutil import scratch_postgres_database
from tests.serving.live import flask, production_env


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/serving.db"
        return
    with scratch_postgres_database(_require_postgres(), "serving") as url:
        yield url


@pytest.fixture
def migrated_url(empty_url: str) -> str:
    """A fresh database upgraded to head by `flask db upgrade`, as on a deploy."""
    result = flask(production_env(empty_url), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return empty_url
