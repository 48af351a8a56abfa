"""A chart's one-line text alternative says what its series show, from the plotted values."""

import re

from tests.reports import dataset, support
from webapp.extensions import db
from webapp.reports.registry import REPORTS
from webapp.reports.summary import MAX_SERIES, describe, number, summarize

CAPTION = re.compile(r'<figcaption class="sr-only chart-summary">(.*?)</figcaption>', re.S)


def test_a_time_series_says_its_latest_value_and_its_range():
    trace = {"type": "scatter", "name": "Daily active", "x": ["2026-11-01", "2026-11-02", "2026-11-03"],
             "y": [3, 18, 12]}  # fmt: skip
    assert describe(trace) == "Daily active: 12 on 2026-11-03 (latest), lowest 3, highest 18"


def test_blank_days_are_left_out_and_the_latest_is_the_last_day_with_a_value():
    trace = {"type": "scatter", "name": "Focus", "x": ["2026-11-01", "2026-11-02", "2026-11-03"],
             "y": [61.256, 70.5, None]}  # fmt: skip
    assert describe(trace) == "Focus: 70.5 on 2026-11-02 (latest), lowest 61.26, highest 70.5"


def test_categories_say_their_highest_and_lowest():
    bars = {"type": "bar", "name": "Sessions", "x": ["video", "quiz", "reading"], "y": [40, 1250, 7]}
    assert describe(bars) == "Sessions: highest 1,250 (quiz), lowest 7 (reading)"
    sideways = {
        "type": "bar",
        "name": "Mastery",
        "orientation": "h",
        "x": [0.25, 0.9],
        "y": ["Fractions", "Verbs"],
    }
    assert describe(sideways) == "Mastery: highest 0.9 (Verbs), lowest 0.25 (Fractions)"


def test_a_heatmap_says_its_highest_and_lowest_cell():
    trace = {"type": "heatmap", "name": "Sessions", "x": [0, 1, 2], "y": ["Monday", "Tuesday"],
             "z": [[1, None, 5], [0, 9, 2]]}  # fmt: skip
    assert describe(trace) == "Sessions: highest 9 (Tuesday, 1), lowest 0 (Tuesday, 0)"


def test_one_value_or_none_is_said_plainly():
    assert (
        describe({"type": "scatter", "name": "At risk", "x": ["2026-11-30"], "y": [20]})
        == "At risk: 20 (2026-11-30)"
    )
    assert describe({"type": "bar", "name": "Flags", "x": ["a"], "y": [None]}) == "Flags: no values"


def test_many_series_stay_on_one_line():
    traces = [{"type": "scatter", "name": f"L{i}", "x": ["2026-11-01"], "y": [i]} for i in range(10)]
    line = summarize(traces)
    assert line.count(";") == MAX_SERIES
    assert line.endswith("and 7 more series.")
    assert "\n" not in line


def test_numbers_read_like_the_hover_labels():
    assert [number(v) for v in (7, 1234, 2.0, 69.2381, 0.35, 1234.5)] == [
        "7",
        "1,234",
        "2",
        "69.24",
        "0.35",
        "1,234.5",
    ]


def test_the_engagement_summary_matches_the_rollup_rows(app, session):
    ds = support.refreshed(session)
    with app.test_request_context():
        chart = support.built("engagement", "actives", db.session, support.span_filter(ds.groups["g1"]))
    # Rows are (day, daily, weekly, monthly, stickiness): check the first series against them.
    daily = [(row[0], row[1]) for row in chart.rows if row[1] is not None]
    latest_day, latest = max(daily)
    expected = (f"Daily active: {latest:,} on {latest_day.isoformat()} (latest), "
                f"lowest {min(v for _, v in daily):,}, highest {max(v for _, v in daily):,}")  # fmt: skip
    assert summarize(chart.traces).startswith(expected)


def test_every_chart_of_every_report_gets_a_summary(app, session):
    ds = support.refreshed(session)
    teacher = support.client_for(app, ds.teacher_email)
    contexts = {"learners": ds.learners["asha"], "active": dataset.START.isoformat()}
    captions = 0
    for key in REPORTS:
        url = f"/reports/{key}/{contexts[key]}" if key in contexts else f"/reports/{key}"
        status, html = support.get(teacher, "/" if key == "overview" else url, **support.RANGE)
        assert status == 200, url
        for line in CAPTION.findall(html):
            captions += 1
            assert any(ch.isdigit() for ch in line), f"{key}: {line}"
    assert captions >= 10
