"""Crafted filters (Unicode digits, years 1 and 9999) give every page and CSV its bad-filter message."""

import re

import pytest

from tests.admin.support import staff_client
from tests.reports import support
from tests.reports.support import get

CRAFTED = {
    "unicode group": {"group": "²"},
    "arabic-indic group": {"group": "\u0663"},
    "letters group": {"group": "abc"},
    "negative group": {"group": "-1"},
    "year 1": {"from": "0001-01-01", "to": "0001-01-01"},
    "year 9999": {"from": "9999-12-31", "to": "9999-12-31"},
    "unicode range": {"range": "\u0663\u0660"},
    "compact date": {"from": "20240105", "to": "20240109"},
}
MESSAGES = ("is not a group number", "Dates must lie between", "range must be", "Dates must be given as")


def _pages(learner_id: int) -> list[str]:
    return ["/", "/reports/engagement", "/reports/attention", "/reports/leaderboard", "/reports/at-risk",
            f"/reports/learners/{learner_id}"]  # fmt: skip


def _csv_links(html: str) -> list[str]:
    return sorted({link.split("?")[0] for link in re.findall(r'href="([^"]+\.csv)[^"]*"', html)})


@pytest.mark.parametrize("who", ["operator", "teacher"])
def test_every_page_and_csv_answers_crafted_filters_with_a_message(app, session, who):
    ds = support.refreshed(session)
    client = (
        staff_client(app, session, "operator")[0]
        if who == "operator"
        else support.client_for(app, ds.teacher_email)
    )
    failures = []
    for page in _pages(ds.learners["asha"]):
        status, html = get(client, page)
        assert status == 200, page
        for name, args in CRAFTED.items():
            status, body = get(client, page, **args)
            if status != 200 or not any(m in body for m in MESSAGES):
                failures.append((page, name, status))
        for csv_url in _csv_links(html):
            for name, args in CRAFTED.items():
                if get(client, csv_url, **args)[0] != 200:
                    failures.append((csv_url, name))
    assert failures == []
