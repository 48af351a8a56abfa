"""In-process apps on a dataset, and logged-in test clients of the demo staff."""

import logging
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from webapp.config import DevelopmentConfig, normalise_database_url
from webapp.services.demo import STAFF

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
PASSWORDS = {key: (email, password) for key, email, _, _, password in STAFF}


class BenchConfig(DevelopmentConfig):
    """Production behaviour, minus what would measure the harness instead of the app."""

    RATELIMIT_ENABLED = False  # the harness logs in many times a minute
    CHECK_DATABASE_AT_START = False
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True


def quiet_request_log(path: Path) -> None:
    """Send the per-request log lines to a file, not the terminal (they are still written)."""
    logger = logging.getLogger("webapp.request")
    if not logger.handlers:
        path.parent.mkdir(parents=True, exist_ok=True)
        logger.addHandler(logging.FileHandler(path))


def make_app(url: str, cache: str = "NullCache") -> Flask:
    """Build the app on a dataset: cache off ("NullCache") or in-process ("SimpleCache")."""
    config = BenchConfig()
    config.SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
    config.CACHE_TYPE = cache
    # No embedded job scheduler: its thread would run the engine update and the analytics
    # refresh inside the timings, and its connections keep the dataset from being copied
    # (CREATE DATABASE ... TEMPLATE refuses a database in use: the PostgreSQL refresh measure).
    config.JOBS_EMBEDDED = False
    return create_app(config)


def logged_in(app: Flask, who: str) -> FlaskClient:
    """Return a test client logged in as a demo staff member ("teacher1", "operator", ...)."""
    email, password = PASSWORDS[who]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = CSRF.search(page)
    token = (match.group(1) or match.group(2)) if match else ""
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login as {who} failed with {response.status_code}")
    return client
