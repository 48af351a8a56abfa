"""Fixtures of the API tests: the serving tests' migrated databases, for tests against gunicorn."""

from tests.serving.conftest import empty_url, migrated_url

__all__ = ["empty_url", "migrated_url"]
