"""Pages that once said the wrong thing (issue 9), checked through the pages and CSVs a teacher uses.

The average focus tile averaged rounded daily means; the at-risk and leaderboard pages
ignored the date range; every series ended with a drop to 0 on the incomplete current day
and no page said how fresh its data was.
"""

import csv
import io
import re
import statistics
from datetime import UTC, date, datetime, time, timedelta

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import dataset, support
from tests.reports.support import get
from webapp.services.leaderboards import snapshot_leaderboards


def _csv(client, url: str, **args) -> list[dict]:
    status, text = get(client, url, **args)
    assert status == 200, url
    return list(csv.DictReader(io.StringIO(text)))


# 4. "Average focus" averaged already-rounded daily means -------------------------------


def test_the_average_focus_tile_is_the_mean_over_every_scored_session(app, session):
    support.refreshed(session)
    oracle = dataset.oracle(session)
    client, _ = staff_client(app, session, "operator")
    focus = [s["focus"] for s in oracle.sessions if s["focus"] is not None and s["day"] <= dataset.END]
    mean = statistics.mean(focus)
    (row,) = [
        r for r in _csv(client, "/reports/overview/kpis.csv", **support.RANGE) if r["figure"] == "avg_focus"
    ]
    assert abs(float(row["value"]) - mean) < 1e-9
    assert row["sample"] == f"{len(focus):,} sessions"
    _, html = get(client, "/", **support.RANGE)
    assert f'<div class="h3 mb-0 kpi-value">{mean:.1f}</div>' in html


# 7. The date range changed the heading of At risk and Leaderboard, not what they show ----


def _flagged_names(html: str) -> list[str]:
    return re.findall(r'<a href="/reports/learners/\d+[^"]*">([^<]+)</a>', html)


def test_the_at_risk_table_is_as_of_the_end_of_the_range(app, session):
    support.refreshed(session)
    oracle = dataset.oracle(session)
    client, _ = staff_client(app, session, "operator")
    for end in (date(2024, 2, 10), dataset.END):
        span = {"from": (end - timedelta(days=13)).isoformat(), "to": end.isoformat()}
        _, html = get(client, "/reports/at-risk", **span)
        flags = oracle.flags(end)
        assert f"as of {end.isoformat()}" in html
        assert len(_flagged_names(html)) == len(flags)
        counted = {r["rule"]: int(r["learners"]) for r in _csv(client, "/reports/at-risk/rules.csv", **span)}
        days = [end - timedelta(days=k) for k in range(14)]
        per_rule = {rule: {u for day in days for u, r in oracle.flags(day) if r == rule} for rule in counted}
        assert counted == {rule: len(users) for rule, users in per_rule.items()}


def test_the_leaderboard_shows_the_period_that_holds_the_end_of_the_range(app, session):
    learner = f.make_learner(session, display_name="Ria")
    board = f.make_leaderboard(session, name="Weekly stars")
    f.make_points_transaction(
        session, user=learner, amount=40, created_at=datetime.combine(date(2024, 3, 5), time(9), tzinfo=UTC)
    )
    session.commit()
    snapshot_leaderboards(session, since=date(2024, 3, 4), today=date(2024, 3, 20))
    session.commit()
    client, _ = staff_client(app, session, "operator")
    url = f"/reports/leaderboard/{board.id}"
    # The next week nobody earned points: its table is empty, not last week's.
    _, html = get(client, url, **{"from": "2024-03-08", "to": "2024-03-14"})
    assert _flagged_names(html) == []
    assert "Weekly stars: week of 2024-03-11 to 2024-03-17 (UTC)" in html
    _, html = get(client, url, **{"from": "2024-03-01", "to": "2024-03-07"})
    assert _flagged_names(html) == ["Ria"]
    assert "Weekly stars: week of 2024-03-04 to 2024-03-10 (UTC)" in html


# 8. Today is incomplete, yet every series ended with a drop to 0 on it -------------------


def test_presets_end_on_the_last_complete_day_and_every_page_says_how_fresh_it_is(app, session):
    support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    today = datetime.now(UTC).date()
    rows = _csv(client, "/reports/engagement/actives.csv", range="7")
    assert len(rows) <= 7
    assert all(date.fromisoformat(r["day"]) < today for r in rows)
    for url in ("/", "/reports/engagement", "/reports/attention", "/reports/at-risk", "/reports/leaderboard"):
        _, html = get(client, url, range="7")
        assert "the last update was at " in html, url
        assert f"to {today.isoformat()}" not in html, url
