"""What a teacher sees of saved views (save, rename, share, delete), of logging out, and of a
range in the future or before any activity."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import new_page
from tests.browser.support import CHARTS_DRAWN, log_in, serious_violations

pytestmark = pytest.mark.browser


def _save_view(page, url: str, name: str) -> None:
    """Save the engagement report of the last 7 days under a name, from its filter bar."""
    page.goto(f"{url}/reports/engagement?range=7")
    page.fill("#save-name", name)
    page.click("button:has-text('Save this view')")
    page.wait_for_selector(f"text=Saved the view \u201c{name}\u201d.")


def _item(page, name: str):
    return page.locator("li.saved-view", has=page.get_by_role("link", name=name, exact=True))


def test_a_teacher_renames_shares_and_deletes_a_saved_view(live_server, browser, artifacts):
    # No transitions: axe must not catch a button half-way through its hover colour change.
    page = new_page(browser, permissions=["clipboard-read", "clipboard-write"], reduced_motion="reduce")
    try:
        url = live_server.url
        log_in(page, url, live_server.teacher_email)
        _save_view(page, url, "My week")
        page.click("a.nav-link:has-text('Saved views')")

        _item(page, "My week").get_by_role("link", name="Rename My week").click()
        assert serious_violations(page) == []
        page.fill("input[name=name]", "Class 5B, this week")
        page.click("button:has-text('Rename')")
        page.wait_for_selector("text=Renamed the view to \u201cClass 5B, this week\u201d.")
        item = _item(page, "Class 5B, this week")
        assert item.count() == 1
        assert _item(page, "My week").count() == 0

        item.get_by_role("button", name=re.compile("^Share as a link")).click()
        page.wait_for_selector("text=can now open \u201cClass 5B, this week\u201d with its link")
        item = _item(page, "Class 5B, this week")
        link = item.get_by_label("Link to share").input_value()
        assert re.fullmatch(re.escape(url) + r"/reports/shared/[A-Za-z0-9_-]{20,32}", link)
        assert serious_violations(page) == []
        item.get_by_role("button", name="Copy link").click()
        page.wait_for_selector("text=Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == link
        page.screenshot(path=str(artifacts / "saved-views-shared.png"), full_page=True)

        item.get_by_role("link", name="Delete Class 5B, this week").click()
        page.wait_for_selector("h1:has-text('Delete the view \u201cClass 5B, this week\u201d?')")
        assert page.get_by_text("Its shared link will stop working").count() == 1
        assert serious_violations(page) == []
        page.get_by_role("link", name="Cancel").click()  # changing one's mind keeps the view
        assert _item(page, "Class 5B, this week").count() == 1
        _item(page, "Class 5B, this week").get_by_role("link", name="Delete Class 5B, this week").click()
        page.click("button:has-text('Delete the view')")
        page.wait_for_selector("text=Deleted the view \u201cClass 5B, this week\u201d.")
        assert _item(page, "Class 5B, this week").count() == 0
        page.goto(link)
        assert page.locator("p.lead").inner_text() == "There is nothing here."  # the link is gone too
        assert page.errors == []
        assert page.foreign == []
    finally:
        page.context.close()


def test_a_shared_link_opens_the_view_for_whoever_may_see_it(live_server, browser):
    url = live_server.url
    owner = new_page(browser)
    try:
        log_in(owner, url, live_server.teacher_email)
        _save_view(owner, url, "For the head teacher")
        owner.goto(f"{url}/reports/saved")
        item = _item(owner, "For the head teacher")
        item.get_by_role("button", name=re.compile("^Share as a link")).click()
        link = _item(owner, "For the head teacher").get_by_label("Link to share").input_value()
        owner.goto(f"{url}/reports/engagement?range=7")
        owner_range = owner.locator(".report-range").inner_text()
    finally:
        owner.context.close()
    follower = new_page(browser)
    try:
        follower.goto(link)  # signed out: the login page first, then the view
        assert "/login" in follower.url
        follower.fill("input[name=email]", live_server.operator_email)
        follower.fill("input[name=password]", "correct horse battery staple")
        follower.click("button[type=submit]")
        follower.wait_for_url("**/reports/engagement?range=7&group=*")
        follower.wait_for_function(CHARTS_DRAWN)
        assert follower.locator(".report-range").inner_text() == owner_range  # same range, same group
        assert follower.get_by_text("a view shared by").count() == 1
        assert follower.errors == []
    finally:
        follower.context.close()
    stranger = new_page(browser)
    try:
        log_in(stranger, url, live_server.other_teacher_email)
        response = stranger.goto(link)
        assert response.status == 404  # another group's teacher: nothing, not even its name
        assert stranger.locator("p.lead").inner_text() == "There is nothing here."
    finally:
        stranger.context.close()


def test_logging_out_says_so(live_server, page):
    log_in(page, live_server.url, live_server.other_teacher_email)
    page.click("button:has-text('Log out')")
    page.wait_for_url(f"{live_server.url}/login")
    assert page.get_by_role("alert").inner_text() == "You have logged out."
    assert page.locator("input[name=email]").count() == 1


def test_a_range_in_the_future_says_so_and_shows_the_last_30_days(live_server, page, artifacts):
    log_in(page, live_server.url, live_server.teacher_email)
    today = datetime.now(UTC).date()
    start, end = today + timedelta(days=10), today + timedelta(days=16)
    page.goto(f"{live_server.url}/reports/engagement?from={start}&to={end}")
    page.wait_for_function(CHARTS_DRAWN)
    warning = page.get_by_role("alert")
    assert warning.inner_text() == (
        f"The range {start} to {end} has not begun yet, so it has no figures; showing the last 30 days."
    )
    assert page.evaluate("document.getElementById('chart-engagement-actives').data[0].x.length") == 30
    page.screenshot(path=str(artifacts / "future-range.png"), full_page=True)
    # The date picker offers no later day: a future date is refused before the page is asked.
    page.fill("#filter-to", end.isoformat())
    assert page.locator("#filter-to").evaluate("el => el.validity.rangeOverflow")
    assert page.errors == []


def test_a_range_before_any_activity_says_when_it_begins(live_server, page):
    log_in(page, live_server.url, live_server.teacher_email)
    today = datetime.now(UTC).date()
    start, end = today - timedelta(days=400), today - timedelta(days=370)
    page.goto(f"{live_server.url}/reports/engagement?from={start}&to={end}")
    notice = page.get_by_role("status").filter(has_text="the first day with any activity here")
    assert notice.count() == 1
    assert re.fullmatch(r"This range ends before \d{4}-\d{2}-\d{2}, .*", notice.inner_text())
    assert page.locator(".report-chart").count() == 0  # no empty axes
    assert page.get_by_text("No activity yet in this range.").count() >= 3
    assert page.errors == []
