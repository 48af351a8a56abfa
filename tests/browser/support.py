"""What several browser tests do: serve the app, log in, list the report pages, run axe-core."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from tests.helpers import DEFAULT_PASSWORD
from webapp.extensions import db

APP_HOST = "127.0.0.1"  # every live server of the browser tests listens here

# axe-core from npm (scripts/fetch-axe.sh): read from the repository, never fetched.
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
REPORTS = {
    "overview": "/",
    "engagement": "/reports/engagement",
    "attention": "/reports/attention",
    "leaderboard": "/reports/leaderboard",
    "at-risk": "/reports/at-risk",
    "learner": "/reports/learners/{learner_id}",
}
# Every page a teacher reads: the reports and the list of saved views.
PAGES = {**REPORTS, "saved views": "/reports/saved"}
CHARTS_DRAWN = (
    "() => Array.from(document.querySelectorAll('[data-figure]'))"
    ".every(el => el.querySelector('svg.main-svg') && el.querySelector('.modebar'))"
)


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve app with werkzeug in a thread on a free port of APP_HOST; yield its base URL."""
    server = make_server(APP_HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{APP_HOST}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


def log_in(page, base_url: str, email: str) -> None:
    """Log in through the form and wait for the overview."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def open_report(page, live_server, name: str) -> None:
    """Open a report page (already logged in) and wait until every chart is drawn."""
    page.goto(live_server.url + PAGES[name].format(learner_id=live_server.learner_id))
    page.wait_for_function(CHARTS_DRAWN)


def serious_violations(page) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, one line each."""
    page.evaluate(AXE_SOURCE)  # evaluated through DevTools: the page's CSP does not apply
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
