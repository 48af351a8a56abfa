"""The chart toolbar: a PNG download that works under the CSP, nothing that sends a chart away,
and one tab stop per chart."""

from pathlib import Path

import pytest

from tests.browser.support import REPORTS, log_in, open_report

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TOOLBAR = "#chart-engagement-actives .modebar"
# How many buttons of each chart the Tab key stops on.
TAB_STOPS = "cs => cs.map(c => Array.from(c.querySelectorAll('button')).filter(b => b.tabIndex >= 0).length)"
SHOWN = f"() => getComputedStyle(document.querySelector('{TOOLBAR} .modebar-group')).opacity === '1'"


def test_the_camera_button_downloads_a_png(live_server, page, artifacts):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, "engagement")
    with page.expect_download() as info:
        page.locator(f"{TOOLBAR} button").first.click()
    download = info.value
    assert download.suggested_filename == "engagement-actives.png"
    target = artifacts / "engagement-actives.png"
    download.save_as(target)
    data = Path(target).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 5000
    assert page.errors == []  # no Content-Security-Policy refusal on the way


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_toolbar_offers_to_send_a_chart_away(live_server, page, name):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, name)
    titles = page.locator(".modebar button").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
    charts = page.locator("[data-figure]").count()
    assert titles == ["Download plot as a PNG", "Zoom in", "Zoom out", "Reset axes"] * charts
    # No Plotly logo (a link to plotly.com), no "Share" or Chart Studio control, no outside link.
    assert page.locator(".modebar a, .modebar-btn--logo").count() == 0
    text = " ".join(titles).lower()
    for word in ("share", "studio", "cloud"):
        assert word not in text


def test_each_toolbar_is_one_tab_stop_and_arrows_move_within_it(live_server, page):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, "engagement")
    tab_stops = page.locator("[data-figure]").evaluate_all(TAB_STOPS)
    assert tab_stops == [1] * len(tab_stops)
    page.focus("#card-engagement-actives a[download]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-title')") == "Download plot as a PNG"
    # The toolbar, shown on hover, shows while it has the keyboard focus too (it fades in).
    page.wait_for_function(SHOWN)
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('data-title')") == "Zoom in"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.getAttribute('data-title')") == "Reset axes"
    page.keyboard.press("ArrowRight")  # wraps round
    assert page.evaluate("document.activeElement.getAttribute('data-title')") == "Download plot as a PNG"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Tab")  # out of this chart's toolbar, to what follows it on the page
    assert page.evaluate("document.activeElement.closest('#chart-engagement-actives') === null")
    assert page.evaluate("document.activeElement.closest('.modebar') === null")
    page.keyboard.press("Shift+Tab")  # back into the toolbar, on the button used last
    assert page.evaluate("document.activeElement.getAttribute('data-title')") == "Reset axes"
