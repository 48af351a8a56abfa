"""A teacher logs in, opens the engagement report, sees Plotly charts, and changes the range."""

from pathlib import Path

import pytest

from tests.browser.support import REPORTS, log_in
from tests.helpers import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def _points(page, chart_id: str) -> int:
    """How many x values the first trace of a drawn chart holds."""
    return page.evaluate(f"document.getElementById('chart-{chart_id}').data[0].x.length")


def test_teacher_sees_engagement_charts_and_changes_the_range(live_server, page, artifacts):
    page.goto(f"{live_server.url}/reports/engagement")
    assert "/login" in page.url  # anonymous: sent to the login page first
    page.fill("input[name=email]", live_server.teacher_email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/reports/engagement**")
    page.wait_for_selector("#chart-engagement-actives.js-plotly-plot")
    assert page.locator(".js-plotly-plot").count() >= 3
    assert _points(page, "engagement-actives") == 30
    page.screenshot(path=str(artifacts / "engagement-30-days.png"), full_page=True)

    page.click("a[data-preset='7']")
    page.wait_for_url("**range=7**")
    page.wait_for_selector("#chart-engagement-actives.js-plotly-plot")
    assert _points(page, "engagement-actives") == 7
    page.screenshot(path=str(artifacts / "engagement-7-days.png"), full_page=True)
    assert page.errors == []


def test_attention_charts_draw_and_a_csv_downloads(live_server, page, artifacts):
    log_in(page, live_server.url, live_server.teacher_email)
    page.wait_for_selector("#chart-overview-actives.js-plotly-plot")
    page.click("a.nav-link:has-text('Attention')")
    page.wait_for_selector("#chart-attention-focus.js-plotly-plot")
    assert _points(page, "attention-focus") == 30
    page.screenshot(path=str(artifacts / "attention-30-days.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#card-attention-focus a[download]")
    download = info.value
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "day,avg_focus_score,sessions_with_focus"
    assert len(lines) == 31
    assert page.errors == []


def test_a_click_on_a_day_of_active_learners_lists_them(live_server, page, artifacts):
    log_in(page, live_server.url, live_server.teacher_email)
    page.goto(f"{live_server.url}/reports/engagement?range=7")
    page.wait_for_selector("#chart-engagement-actives.js-plotly-plot")
    busy = page.evaluate(
        "document.getElementById('chart-engagement-actives').data[0].y.findIndex(v => v > 0)"
    )
    points = page.locator("#chart-engagement-actives .scatterlayer .trace").first.locator(".points path")
    point = points.nth(busy)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/reports/active/**")
    assert page.locator("h1").inner_text().startswith("Learners active on ")
    links = page.locator("#table-active-learners a[href*='/reports/learners/']")
    assert links.count() >= 1
    page.screenshot(path=str(artifacts / "drill-down.png"), full_page=True)
    links.first.click()
    page.wait_for_url("**/reports/learners/**")
    assert page.errors == []


@pytest.mark.parametrize("name", list(REPORTS))
def test_each_report_draws_its_charts_with_data(live_server, page, artifacts, name):
    log_in(page, live_server.url, live_server.teacher_email)
    page.goto(live_server.url + REPORTS[name].format(learner_id=live_server.learner_id))
    page.wait_for_selector(".js-plotly-plot")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('.js-plotly-plot'))"
        ".filter(el => (el.data || []).some(t => (t.x || t.y || t.z || []).length > 0)).length"
    )
    assert drawn >= 1, f"{name}: no chart drew any data point"
    page.screenshot(path=str(artifacts / f"report-{name}.png"), full_page=True)
    assert page.errors == []
