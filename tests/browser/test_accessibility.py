"""Keyboard and screen readers: axe-core finds nothing serious, a skip link, headings in order,
a text alternative for every chart, and a group select that waits for Enter."""

import itertools
import re

import pytest

from tests.browser.support import PAGES, REPORTS, log_in, open_report, serious_violations

pytestmark = pytest.mark.browser

# (title of each chart's card, whether all of its SVGs are hidden from screen readers)
CHARTS = """Array.from(document.querySelectorAll('[data-figure]')).map(el => [
  el.closest('.report-card').querySelector('h2').textContent.trim(),
  Array.from(el.querySelectorAll('svg.main-svg')).every(s => s.getAttribute('aria-hidden') === 'true'),
])"""
HEADINGS = "Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => Number(h.tagName[1]))"


def test_the_login_page_has_no_serious_accessibility_problem(live_server, page):
    page.goto(f"{live_server.url}/login")
    assert serious_violations(page) == []


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("width", [390, 1280])
def test_report_pages_have_no_serious_accessibility_problem(live_server, page, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, name)
    assert serious_violations(page) == []
    assert page.errors == []


@pytest.mark.parametrize("name", list(PAGES))
def test_headings_go_down_one_level_at_a_time(live_server, page, name):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, name)
    levels = page.evaluate(HEADINGS)
    assert levels[0] == 1, levels
    assert levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_chart_has_a_text_alternative(live_server, page, name):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, name)
    charts = page.evaluate(CHARTS)
    assert charts, f"{name}: no chart drawn"
    for title, svgs_hidden in charts:
        # The figure is named by its caption: the chart's title, then what the chart shows.
        figure = page.get_by_role("figure", name=re.compile("^" + re.escape(title) + ": .*\\d"))
        assert figure.count() == 1, f"{name}: no captioned figure for {title!r}"
        # The drawing itself is hidden from screen readers; its toolbar is not.
        assert svgs_hidden, f"{name}: the SVG of {title!r} is read out"
        assert figure.get_by_role("toolbar", name=re.compile(re.escape(title))).count() == 1


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(live_server, page):
    log_in(page, live_server.url, live_server.teacher_email)
    open_report(page, live_server, "engagement")
    page.keyboard.press("Tab")
    link = page.locator(":focus")
    assert link.inner_text() == "Skip to main content"
    box = link.bounding_box()
    assert box is not None  # shown while it has the focus
    assert box["width"] > 20
    assert box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, not the navbar
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_the_group_select_applies_on_enter_and_not_while_arrowing(live_server, page):
    log_in(page, live_server.url, live_server.operator_email)
    open_report(page, live_server, "engagement")
    documents = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    select = page.locator("#filter-group")
    before = select.input_value()
    at_end = select.evaluate("s => s.selectedIndex === s.options.length - 1")
    select.focus()
    page.keyboard.press("ArrowUp" if at_end else "ArrowDown")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    chosen = select.input_value()
    assert chosen != before
    assert documents == [], "arrowing through the groups reloaded the page"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"group={chosen}" in page.url
    assert page.locator("#filter-group").input_value() == chosen
