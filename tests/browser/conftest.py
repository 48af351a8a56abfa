"""A live server for browser tests: the app on a free port, over a temporary SQLite file,
with a small dataset of recent activity, and Debian's Chromium driven by Playwright."""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories as f
from tests.conftest import make_config
from tests.reports.dataset import _session
from webapp import create_app
from webapp.extensions import db
from webapp.models import metadata
from webapp.models.core.enums import GroupRole
from webapp.services.analytics.rollups import refresh
from webapp.services.recompute import recompute_all

CHROMIUM = "/usr/bin/chromium"


@dataclass
class LiveServer:
    """Where the live app listens, and who may log in to it."""

    url: str
    teacher_email: str
    learner_id: int


def _seed(today: datetime) -> tuple[str, int]:
    """Give a teacher one group with two learners and 40 days of sessions, a weekly points
    board, and the derived points and ranks; return the teacher's email and a learner's id."""
    s = db.session
    group, teacher = f.make_group(s, name="Class 5B"), f.make_teacher(s)
    f.make_member(s, role=GroupRole.TEACHER, group=group, user=teacher)
    f.make_leaderboard(s, name="Weekly points")
    learners = []
    for k in range(2):
        learner = f.make_learner(s, timezone="UTC")
        learners.append(learner)
        f.make_member(s, group=group, user=learner)
        for days_ago in range(0, 40, 2 + k):
            started = today - timedelta(days=days_ago, hours=k + 2)
            _session(s, learner, started, 10 + days_ago, 40.0 + days_ago)
    s.commit()
    recompute_all(s, today=today.date())
    s.commit()
    return teacher.email, learners[0].id


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app served by werkzeug in a thread, over a fresh SQLite file with recent activity."""
    path = tmp_path_factory.mktemp("live") / "live.db"
    app = create_app(make_config(f"sqlite:///{path}"))
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        metadata.create_all(db.engine)
        email, learner_id = _seed(now)
        refresh(db.engine, now.date() - timedelta(days=45), now.date())
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        yield LiveServer(url=url, teacher_email=email, learner_id=learner_id)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Debian Chromium (skipped when it or Playwright is missing)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, tmp_path) -> Iterator:
    """A fresh browser page; script and console errors are collected on page.errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # Console errors too (a CSP refusal shows there), but not the browser's favicon 404.
    page.on("console", lambda msg: _console_error(page, msg))
    try:
        yield page
    finally:
        context.close()


def _console_error(page, msg) -> None:
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        page.errors.append(msg.text)


@pytest.fixture
def artifacts(tmp_path) -> Path:
    """Where screenshots go: $BROWSER_ARTIFACTS when set (CI keeps it), else a temp dir."""
    folder = Path(os.environ.get("BROWSER_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
