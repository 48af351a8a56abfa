"""Fixtures of the job tests: migrated databases per backend, as the serving tests use."""

from tests.serving.conftest import empty_url, migrated_url

__all__ = ["empty_url", "migrated_url"]
