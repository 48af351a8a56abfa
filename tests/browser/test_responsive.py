"""Phones from 360 px up: no page wider than the screen, a menu that collapses, tables that
scroll inside themselves, charts that follow the window. Also takes the README's screenshots."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import new_page
from tests.browser.support import CHARTS_DRAWN, PAGES, log_in, open_report, serve
from tests.conftest import make_config
from webapp import create_app
from webapp.extensions import db
from webapp.models import metadata
from webapp.services.analytics.rollups import refresh
from webapp.services.demo import STAFF, seed_demo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PAGE_WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
# The right edge of every drawn chart, in CSS pixels.
CHART_EDGES = (
    "Array.from(document.querySelectorAll('[data-figure] svg.main-svg'))"
    ".map(s => s.getBoundingClientRect().right)"
)
# Set README_SCREENSHOTS=docs/screenshots (make screenshots) to refresh the README's images.
SCREENSHOTS = os.environ.get("README_SCREENSHOTS")


def test_the_login_page_fits_a_phone(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login")
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("width", [360, 390])
def test_no_report_page_is_wider_than_a_phone(live_server, page, name, width):
    page.set_viewport_size({**PHONE, "width": width})
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, name)
    assert page.evaluate(PAGE_WIDTH) <= width
    assert all(edge <= width for edge in page.evaluate(CHART_EDGES))
    assert page.errors == []


def test_the_menu_collapses_behind_a_button_on_a_phone(live_server, page):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, live_server.teacher_email)
    page.wait_for_function(CHARTS_DRAWN)
    toggler = page.get_by_role("button", name="Menu")
    log_out = page.get_by_role("button", name="Log out")
    assert toggler.get_attribute("aria-expanded") == "false"
    assert not log_out.is_visible()
    toggler.click()
    log_out.wait_for(state="visible")
    # Wait for the menu to finish opening: a click while it grows lands where the button was
    # a moment earlier (on a loaded machine, the language switch rather than Log out).
    page.locator("#main-menu.show:not(.collapsing)").wait_for()
    assert toggler.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagement").is_visible()
    log_out.click()
    page.wait_for_url("**/login**")
    assert page.errors == []


def test_the_menu_is_open_on_a_desktop(live_server, page):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, live_server.teacher_email)
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()


def test_a_wide_table_scrolls_inside_its_card(live_server, page):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, "leaderboard")
    box = page.locator("#leaderboard-table .table-responsive")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls...
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]  # ...and the page does not


def test_charts_follow_the_window_width(live_server, page):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, "engagement")
    wide = page.evaluate(CHART_EDGES)
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"() => ({CHART_EDGES}).every(edge => edge <= {PHONE['width']})")
    assert max(page.evaluate(CHART_EDGES)) < max(wide)


def test_on_a_touch_screen_a_finger_scrolls_the_page_instead_of_zooming(live_server, browser):
    page = new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        log_in(page, live_server.url, live_server.teacher_email)
        open_report(page, live_server, "engagement")
        modes = page.locator("[data-figure]").evaluate_all("cs => cs.map(c => c._fullLayout.dragmode)")
        assert modes == [False] * len(modes)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[str]:
    """The app over the small demo (what `make run` shows), served on a free port."""
    path = tmp_path_factory.mktemp("demo-live") / "demo.db"
    app = create_app(make_config(f"sqlite:///{path}"))
    end = datetime.now(UTC).date() - timedelta(days=1)
    with app.app_context():
        metadata.create_all(db.engine)
        seed_demo(db.session, "small", 42, end)
        refresh(db.engine, end - timedelta(days=100), end)
        db.session.remove()
    with serve(app) as url:
        yield url


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_demo_overview_on_a_phone_and_a_desktop(demo_server, browser, artifacts, device, viewport):
    page = new_page(browser, viewport=viewport, device_scale_factor=2 if device == "phone" else 1)
    try:
        teacher_email, password = next((email, pw) for key, email, _, _, pw in STAFF if key == "teacher1")
        page.goto(f"{demo_server}/login")
        page.fill("input[name=email]", teacher_email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo_server}/")
        page.wait_for_function(CHARTS_DRAWN)
        assert page.evaluate(PAGE_WIDTH) <= viewport["width"]
        for folder in filter(None, [artifacts, SCREENSHOTS]):
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"overview-{device}.png"))
        assert page.errors == []
        assert page.foreign == []
    finally:
        page.context.close()
