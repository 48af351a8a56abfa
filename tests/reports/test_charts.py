"""Every figure of every registered report: a valid Plotly spec, a definition, a CSV of its rows."""

import csv
import io
from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import dataset, support
from tests.reports.support import RANGE, get
from webapp.extensions import db
from webapp.models.analytics.metrics import DailyMetric
from webapp.reports.charts import Chart, column, csv_text, series
from webapp.reports.registry import REPORTS, lookup
from webapp.services.leaderboards import snapshot_leaderboards


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _cells(chart: Chart) -> list[list[str]]:
    return _csv(csv_text(chart.header, chart.rows))


def contexts(ds: dataset.Dataset, session) -> dict[str, str]:
    """The context part of the URL of the reports that need one."""
    board = f.make_leaderboard(session, name="All of them")
    session.commit()
    snapshot_leaderboards(session, since=dataset.START, today=dataset.AS_OF)
    session.commit()
    return {"learners": str(ds.learners["asha"]), "leaderboard": str(board.id), "active": "2024-01-10"}


def every_figure(app, session, ds, flt, extra_args=None):
    """Yield (report key, figure id, chart, context) for every registered figure."""
    urls = contexts(ds, session)
    with app.test_request_context(query_string=extra_args or {}):
        for key, report in REPORTS.items():
            ctx = report.context(db.session, flt, urls.get(key), {})
            for figure_id in report.figures:
                yield key, figure_id, support.built(key, figure_id, db.session, flt, ctx), urls.get(key)


def test_every_figure_shows_data_and_says_what_it_means(app, session):
    ds = support.refreshed(session)
    flt = support.span_filter(None, end=dataset.AS_OF)
    seen = 0
    for key, figure_id, chart, _ in every_figure(app, session, ds, flt):
        assert chart.rows, f"{key}/{figure_id} shows nothing on the dataset"
        assert chart.title
        if chart.kind == "plot":
            go.Figure(chart.figure())  # raises on an invalid spec
            assert chart.definition, f"{key}/{figure_id} has no definition"
        seen += 1
    assert seen == sum(len(r.figures) for r in REPORTS.values())


def test_each_csv_is_exactly_the_rows_of_its_figure(app, session):
    ds = support.refreshed(session)
    client = support.client_for(app, ds.teacher_email)
    flt = support.span_filter(ds.groups["g1"])
    for key, figure_id, chart, context in every_figure(app, session, ds, flt):
        path = f"/reports/{key}/{context}/{figure_id}.csv" if context else f"/reports/{key}/{figure_id}.csv"
        status, text = get(client, path, **RANGE)
        assert status == 200, path
        rows = _csv(text)
        assert rows[0] == list(chart.header), path
        if chart.kind != "tiles":  # tiles compare with a previous period, also in the CSV
            assert rows == _cells(chart), path


def test_csv_matches_the_trace_values(app, session):
    ds = support.refreshed(session)
    with app.test_request_context():
        chart = support.built("engagement", "volume", db.session, support.span_filter(ds.groups["g1"]))
    sessions_trace = chart.figure()["data"][0]
    assert sessions_trace["x"] == column(chart.rows, 0)
    assert sessions_trace["y"] == column(chart.rows, 1)


def test_days_not_complete_yet_are_drawn_dotted_so_far():
    rows = [(date(2024, 3, d), d * 10, d) for d in range(1, 6)]
    complete, partial = series(rows, 0, 1, "Daily", "%{y}", date(2024, 3, 4), customdata=[r[2] for r in rows])
    assert complete["x"] == ["2024-03-01", "2024-03-02", "2024-03-03"]
    assert partial["x"] == ["2024-03-03", "2024-03-04", "2024-03-05"]  # joined at the last complete day
    assert partial["line"]["dash"] == "dot"
    assert partial["showlegend"] is False
    assert partial["customdata"] == [3, 4, 5]
    assert series(rows, 0, 1, "Daily", "%{y}", None)[0]["x"] == column(rows, 0)


def test_csv_neutralises_formula_cells():
    text = csv_text(
        ["name", "value"], [("=cmd|' /C calc'!A0", 1), ("+1", 2), ("@SUM(A1)", 3), (date(2024, 1, 2), 4)]
    )
    rows = _csv(text)
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[2][0] == "'+1"
    assert rows[3][0] == "'@SUM(A1)"
    assert rows[4][0] == "2024-01-02"


def test_csv_download_headers(app, session):
    client, _ = staff_client(app, session, "operator")
    response = client.get("/reports/engagement/actives.csv", query_string={"range": "7"})
    try:
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.get_data(as_text=True).splitlines()[0].startswith("day,")
    finally:
        response.close()


def test_empty_range_gives_a_header_only_csv(app, session):
    client, _ = staff_client(app, session, "operator")
    status, text = get(client, "/reports/attention/focus.csv", **RANGE)
    assert status == 200
    assert _csv(text) == [["day", "avg_focus_score", "sessions_with_focus"]]


def test_rows_with_no_focus_plot_as_gaps(app, session):
    session.add(DailyMetric(day=date(2024, 1, 3), scope="all", avg_focus_score=None))
    session.commit()
    client, _ = staff_client(app, session, "operator")
    status, text = get(client, "/reports/attention/focus.csv", **RANGE)
    assert status == 200
    assert _csv(text)[1] == ["2024-01-03", "", "0"]


@pytest.mark.parametrize("key", ["at_risk", "learner"])
def test_earlier_report_keys_still_find_their_report(key):
    assert lookup(key).key in REPORTS


def test_a_range_ending_today_draws_today_as_partial(app, session):
    ds = support.refreshed(session)
    flt = support.span_filter(
        None, dataset.END - timedelta(days=6), dataset.END, last_complete=dataset.END - timedelta(days=2)
    )
    with app.test_request_context():
        chart = support.built("engagement", "actives", db.session, flt)
    dotted = [t for t in chart.traces if t.get("line", {}).get("dash") == "dot"]
    assert {t["x"][-1] for t in dotted} == {dataset.END.isoformat()}
    assert all(t["x"][0] == (dataset.END - timedelta(days=2)).isoformat() for t in dotted)
    assert len(chart.rows) == 7  # the CSV keeps every day
    assert ds
