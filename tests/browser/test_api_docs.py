"""The API's docs page in a browser: Swagger UI, from the app's own files, draws each operation
of the generated document with its path and query parameters."""

import pytest

pytestmark = pytest.mark.browser


def test_the_docs_show_the_inbox_parameters_where_they_go(live_server, page):
    page.goto(f"{live_server.url}/api/v1/docs")
    listing = page.locator("#operations-notifications-list_notifications")
    listing.locator(".opblock-summary-control").click()
    rows = listing.locator("tr[data-param-name]")
    rows.first.wait_for()
    shown = [(rows.nth(i).get_attribute("data-param-name"), rows.nth(i).get_attribute("data-param-in"),
              rows.nth(i).locator(".parameter__type").inner_text()) for i in range(rows.count())]  # fmt: skip
    assert shown == [("learner", "path", "string"), ("page", "query", "integer"),
                     ("per_page", "query", "integer"), ("unread", "query", "boolean")]  # fmt: skip
    assert "Default value : 20" in rows.nth(2).inner_text()
    marking = page.locator("#operations-notifications-read_notification")
    marking.locator(".opblock-summary-control").click()
    notification = marking.locator("tr[data-param-name=id]")
    assert notification.get_attribute("data-param-in") == "path"
    assert notification.locator(".parameter__type").inner_text().startswith("integer")
    assert page.errors == []
