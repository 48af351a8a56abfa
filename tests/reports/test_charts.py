"""Chart specs are valid Plotly figures, and each CSV holds exactly the rows its chart plots."""

import csv
import io
from datetime import date, timedelta

import plotly.graph_objects as go

from tests.admin.support import staff_client
from tests.reports import dataset, support
from tests.reports.support import RANGE, get
from webapp.extensions import db
from webapp.models.analytics.metrics import DailyMetric
from webapp.reports.charts import Chart, column, csv_text
from webapp.reports.registry import CHARTS, build


def all_charts() -> list[tuple[str, str]]:
    return [(report, chart_id) for report, charts in CHARTS.items() for chart_id in charts]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _cells(chart: Chart) -> list[list[str]]:
    return _csv(csv_text(chart.header, chart.rows))


def test_every_chart_spec_is_a_valid_plotly_figure(app, session):
    support.refreshed(session)
    # Risk flags are written as of the last refreshed day, the day after the dataset ends.
    flt = support.span_filter(None, end=dataset.END + timedelta(days=1))
    with app.test_request_context():
        for report, chart_id in all_charts():
            chart = build(report, chart_id, db.session, flt)
            assert chart.rows, f"{report}/{chart_id} plots nothing on the dataset"
            go.Figure(chart.figure())  # raises on an invalid spec


def test_csv_is_exactly_the_plotted_rows(app, session):
    ds = support.refreshed(session)
    client = support.client_for(app, ds.teacher_email)
    for report, chart_id in all_charts():
        status, text = get(client, f"/reports/{report}/{chart_id}.csv", **RANGE)
        assert status == 200
        with app.test_request_context():
            chart = build(report, chart_id, db.session, support.span_filter(ds.groups["g1"]))
        rows = _csv(text)
        assert rows[0] == list(chart.header)
        assert rows == _cells(chart), f"{report}/{chart_id}"
        assert len(rows) == len(chart.rows) + 1


def test_csv_matches_the_trace_values(app, session):
    ds = support.refreshed(session)
    with app.test_request_context():
        chart = build("engagement", "volume", db.session, support.span_filter(ds.groups["g1"]))
    sessions_trace = chart.figure()["data"][0]
    assert sessions_trace["x"] == column(chart.rows, 0)
    assert sessions_trace["y"] == column(chart.rows, 1)


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
