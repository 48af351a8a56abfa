"""A live server for browser tests: the app on a free port, over a temporary SQLite file,
with a small dataset of recent activity, and Debian's Chromium driven by Playwright."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import factories as f
from tests.browser.support import APP_HOST, serve
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
    operator_email: str
    other_teacher_email: str  # teaches another group (no learner of the first)


def _seed(today: datetime) -> tuple[str, int, str, str]:
    """Give a teacher one group with two learners and 40 days of sessions, a weekly points
    board, and the derived points and ranks; return the teacher's email, a learner's id,
    the email of an operator (who sees every group) and that of a teacher of another group."""
    s = db.session
    group, teacher = f.make_group(s, name="Class 5B"), f.make_teacher(s)
    operator, other_teacher = f.make_operator(s), f.make_teacher(s)
    f.make_member(s, role=GroupRole.TEACHER, group=group, user=teacher)
    f.make_member(s, role=GroupRole.TEACHER, group=f.make_group(s, name="Class 6A"), user=other_teacher)
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
    return teacher.email, learners[0].id, operator.email, other_teacher.email


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app served by werkzeug in a thread, over a fresh SQLite file with recent activity."""
    path = tmp_path_factory.mktemp("live") / "live.db"
    app = create_app(make_config(f"sqlite:///{path}"))
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        metadata.create_all(db.engine)
        email, learner_id, operator_email, other_email = _seed(now)
        refresh(db.engine, now.date() - timedelta(days=45), now.date())
        db.session.remove()
    with serve(app) as url:
        yield LiveServer(
            url=url, teacher_email=email, learner_id=learner_id, operator_email=operator_email,
            other_teacher_email=other_email,
        )  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Debian Chromium (skipped when it or Playwright is missing); names of any
    host but the app's (127.0.0.1) do not resolve, so nothing can leave the machine."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {APP_HOST}"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(browser, **options):
    """Open a page in a fresh context; errors and requests off the app's host are recorded
    (page.errors, page.foreign) for the test to check."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.errors, page.foreign = [], []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    # Console errors too (a CSP refusal shows there), but not the browser's favicon 404.
    page.on("console", lambda msg: _console_error(page, msg))
    # Every request of the context (popups and downloads included) stays on the app's host.
    context.on("request", lambda request: _off_the_app(page, request.url))
    return page


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser page; the test fails if it asked any host but the app's."""
    page = new_page(browser)
    try:
        yield page
    finally:
        page.context.close()
    if page.foreign:
        pytest.fail(f"requests to hosts other than the app: {sorted(set(page.foreign))}")


def _off_the_app(page, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about") or parts.hostname == APP_HOST:
        return
    page.foreign.append(url)


def _console_error(page, msg) -> None:
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        page.errors.append(msg.text)


@pytest.fixture
def artifacts(tmp_path) -> Path:
    """Where screenshots go: $BROWSER_ARTIFACTS when set (CI keeps it), else a temp dir."""
    folder = Path(os.environ.get("BROWSER_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
