"""The overview and the engagement report in Hindi, as a teacher's browser shows them (screenshots kept).

Hindi comes from the browser's language (Accept-Language) here, and from the navbar's switch,
which is saved on the account: it holds after logging out and in again.
"""

import re

import pytest

from tests.browser.conftest import new_page
from tests.browser.support import CHARTS_DRAWN, log_in, open_report

pytestmark = pytest.mark.browser
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _tick_texts(page, chart_id: str, axis: str) -> list[str]:
    """The tick labels Plotly drew on an axis (SVG text: textContent, it has no innerText)."""
    selector = f"#chart-{chart_id} .{axis}tick text"
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def _ticks_of_a_big_number(page) -> list[str]:
    """The y ticks of a bar of 12,34,567 drawn with the page's registered Plotly locale."""
    return page.evaluate("""async () => {
      const el = document.createElement("div");
      document.body.appendChild(el);
      const layout = {yaxis: {tickformat: ",~f", dtick: 500000}, separators: ".,"};
      await Plotly.newPlot(el, [{y: [0, 1234567], type: "bar"}], layout, {locale: "hi"});
      const ticks = Array.from(el.querySelectorAll(".ytick text")).map(e => e.textContent);
      el.remove();
      return ticks;
    }""")


def test_overview_and_engagement_in_hindi(live_server, browser, artifacts):
    page = new_page(browser, locale="hi-IN")
    try:
        log_in(page, live_server.url, live_server.teacher_email)
        page.wait_for_function(CHARTS_DRAWN)
        assert page.locator("html").get_attribute("lang") == "hi"
        assert page.locator("h1").inner_text() == "अवलोकन"
        assert page.locator("#kpi-minutes").inner_text().startswith("सीखने के मिनट")
        # Date axes name the months in Hindi (Plotly's locale, from Babel's data).
        ticks = " ".join(_tick_texts(page, "overview-actives", "x"))
        assert DEVANAGARI.search(ticks), ticks
        page.screenshot(path=str(artifacts / "overview-hi.png"), full_page=True)
        # Axes group digits the Indian way (the page's locale, as the report charts use it).
        assert _ticks_of_a_big_number(page) == ["0", "5,00,000", "10,00,000"]

        page.click("a.nav-link:has-text('सहभागिता')")
        page.wait_for_url("**/reports/engagement**")
        page.wait_for_function(CHARTS_DRAWN)
        assert page.locator("h1").inner_text() == "सहभागिता"
        assert "सोमवार" in _tick_texts(page, "engagement-heatmap", "y")
        assert page.locator("#card-engagement-heatmap h2").inner_text() == "शिक्षार्थी कब सीखते हैं"
        page.screenshot(path=str(artifacts / "engagement-hi.png"), full_page=True)
        assert page.errors == []
    finally:
        page.context.close()


def test_the_language_switch_is_kept_across_sessions(live_server, browser, artifacts):
    page = new_page(browser)  # an English browser
    try:
        log_in(page, live_server.url, live_server.other_teacher_email)
        assert page.locator("h1").inner_text() == "Overview"
        page.click(".language-switch button[value=hi]")
        page.wait_for_function("document.documentElement.lang === 'hi'")
        assert page.locator("h1").inner_text() == "अवलोकन"
        page.click("form[action='/logout'] button")
        log_in(page, live_server.url, live_server.other_teacher_email)
        assert page.locator("h1").inner_text() == "अवलोकन"  # saved on the account
        page.screenshot(path=str(artifacts / "overview-hi-chosen.png"), full_page=True)
    finally:
        page.click(".language-switch button[value=en]")  # leave the shared account in English
        page.wait_for_function("document.documentElement.lang === 'en'")
        page.context.close()


@pytest.mark.parametrize("name", ["attention", "leaderboard", "at-risk", "learner", "saved views"])
def test_every_other_page_in_hindi(live_server, browser, artifacts, name):
    """The other pages a teacher reads, in Hindi, drawn without an error (screenshots kept)."""
    page = new_page(browser, locale="hi-IN")
    try:
        log_in(page, live_server.url, live_server.teacher_email)
        open_report(page, live_server, name)
        assert page.locator("html").get_attribute("lang") == "hi"
        heading = page.locator("h1").inner_text()
        assert DEVANAGARI.search(heading) or name == "learner", heading  # a learner's page: their name
        assert DEVANAGARI.search(page.locator("main").inner_text())
        page.screenshot(path=str(artifacts / f"{name.replace(' ', '-')}-hi.png"), full_page=True)
        assert page.errors == []
    finally:
        page.context.close()
