"""A range in the future or before any activity says so on the page, in a teacher's words;
no text a teacher reads names a command."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import dataset, support
from tests.reports.support import get
from webapp.models.core.enums import GroupRole
from webapp.reports import definitions
from webapp.reports.definitions import EMPTY, RANGE
from webapp.reports.filters import parse_range
from webapp.services.analytics.asof import latest_day
from webapp.services.analytics.risk import RULES

TODAY = date(2024, 3, 10)


def _range_shown(html: str) -> tuple[str, str]:
    """The range the page header says it shows."""
    match = re.search(r"(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2}) \(", html)
    assert match, "no range in the page header"
    return match.group(1), match.group(2)


def test_a_range_that_starts_after_the_latest_day_is_refused_with_a_message():
    args = MultiDict({"from": "2024-03-13", "to": "2024-03-20"})
    start, end, preset, errors = parse_range(args, TODAY, latest=date(2024, 3, 12))
    assert (start, end, preset) == (TODAY - timedelta(days=29), TODAY, 30)
    assert errors == [RANGE["future"].format(start="2024-03-13", end="2024-03-20", days=30)]


def test_a_range_that_ends_after_the_latest_day_is_cut_short_with_a_message():
    args = MultiDict({"from": "2024-03-01", "to": "2024-03-20"})
    start, end, preset, errors = parse_range(args, TODAY, latest=date(2024, 3, 12))
    assert (start, end, preset) == (date(2024, 3, 1), date(2024, 3, 12), None)
    assert errors == [
        "The range asked for ends on 2024-03-20, which has not come yet; showing 2024-03-01 to 2024-03-12."
    ]


def test_a_range_up_to_the_latest_day_is_taken_as_it_is():
    args = MultiDict({"from": "2024-03-01", "to": "2024-03-12"})
    assert parse_range(args, TODAY, latest=date(2024, 3, 12)) == (
        date(2024, 3, 1),
        date(2024, 3, 12),
        None,
        [],
    )


def test_the_latest_day_is_the_furthest_ahead_of_the_learners_or_utc():
    now = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)  # 01:00 on the 11th in Auckland
    assert latest_day(now, ["Pacific/Auckland", "America/Los_Angeles"]) == date(2024, 3, 11)
    assert latest_day(now, ["America/Los_Angeles"]) == date(2024, 3, 10)  # never behind UTC
    assert latest_day(now, []) == date(2024, 3, 10)


@pytest.mark.parametrize("role", ["teacher", "operator"])
def test_a_future_range_says_so_and_shows_the_last_30_days(app, session, role):
    client, teacher = staff_client(app, session, role)
    if role == "teacher":
        f.make_member(session, role=GroupRole.TEACHER, group=f.make_group(session), user=teacher)
        session.commit()
    soon = datetime.now(UTC).date() + timedelta(days=5)
    span = {"from": soon.isoformat(), "to": (soon + timedelta(days=6)).isoformat()}
    status, html = get(client, "/reports/engagement", **span)
    assert status == 200
    said = RANGE["future"].format(start=span["from"], end=span["to"], days=30)
    assert f'<div class="alert alert-warning filter-error" role="alert">{escape(said)}</div>' in html
    start, end = _range_shown(html)
    assert date.fromisoformat(end) < soon
    assert (date.fromisoformat(end) - date.fromisoformat(start)).days == 29


def test_a_range_ending_in_the_future_ends_on_the_latest_day(app, session):
    client, _ = staff_client(app, session, "operator")
    f.make_learner(session, timezone="Pacific/Kiritimati")  # UTC+14: the furthest ahead
    session.commit()
    today = datetime.now(UTC).date()
    span = {"from": (today - timedelta(days=3)).isoformat(), "to": (today + timedelta(days=9)).isoformat()}
    status, html = get(client, "/reports/engagement", **span)
    assert status == 200
    latest = latest_day(datetime.now(UTC), ["Pacific/Kiritimati"])
    assert latest in (today, today + timedelta(days=1))
    assert _range_shown(html) == (span["from"], latest.isoformat())
    assert "which has not come yet" in html
    assert f'id="filter-to" name="to" value="{latest.isoformat()}" max="{latest.isoformat()}"' in html


def test_a_day_to_come_says_so_on_the_active_learners_page(app, session):
    client, _ = staff_client(app, session, "operator")
    soon = datetime.now(UTC).date() + timedelta(days=3)
    status, html = get(client, f"/reports/active/{soon.isoformat()}")
    assert status == 200
    assert str(escape(EMPTY["day_to_come"])) in html
    status, html = get(client, "/reports/active/2024-01-10")
    assert status == 200
    assert str(escape(EMPTY["nobody_active"])) in html


def _first_active(oracle, scope: str) -> date:
    return min(day for day in dataset.days() if oracle.active_on(day, scope))


def test_a_range_before_any_activity_says_when_activity_begins(app, session):
    ds = support.refreshed(session)
    oracle = dataset.oracle(session)
    client, _ = staff_client(app, session, "operator")
    before = {"from": "2023-10-01", "to": "2023-10-31"}
    for group in (None, ds.groups["g1"], ds.groups["g2"]):
        scope = f"group:{group}" if group else "all"
        first = _first_active(oracle, scope)
        args = {**before, **({"group": group} if group else {})}
        for url in ("/", "/reports/engagement", "/reports/attention", "/reports/at-risk"):
            status, html = get(client, url, **args)
            assert status == 200, url
            said = RANGE["before_data"].format(day=first.isoformat())
            assert f'<div class="alert alert-info range-notice" role="status">{escape(said)}</div>' in html, (
                url
            )
    status, html = get(client, "/reports/engagement", **support.RANGE)
    assert status == 200
    assert "range-notice" not in html  # a range with activity says nothing of the kind


def test_an_empty_range_with_later_activity_says_no_activity_yet(app, session):
    support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/engagement", **{"from": "2023-10-01", "to": "2023-10-31"})
    assert status == 200
    assert str(escape(EMPTY["no_activity"])) in html
    assert 'class="report-chart"' not in html  # no empty axes: the message instead


def _teacher_texts() -> list[str]:
    texts = [*definitions.DEFINITIONS.values(), *EMPTY.values(), *RANGE.values(), *definitions.SAVED.values()]
    for value in definitions.PHRASES.values():
        texts += list(value) if isinstance(value, tuple) else [value]
    return texts + [text for pair in RULES.values() for text in pair]


@pytest.mark.parametrize("text", _teacher_texts())
def test_no_text_a_teacher_reads_names_a_command_or_the_machinery(text):
    lowered = text.lower()
    for word in ("flask", "wsgi", "--", "`", "rollup", "refresh"):
        assert word not in lowered, (word, text)
