"""Charts of the engagement report: actives and stickiness, volumes, when learners learn, retention."""

from sqlalchemy.orm import Session

from webapp.reports import queries as q
from webapp.reports.charts import Chart, bar, column, heatmap, line
from webapp.reports.filters import ReportFilter
from webapp.reports.registry import chart, fetch

REPORT = "engagement"


@chart(REPORT, "actives")
def actives_chart(session: Session, flt: ReportFilter) -> Chart:
    """Daily, weekly and monthly active learners, with stickiness on a second axis."""
    rows = fetch("engagement.actives", flt, lambda: q.active_learners(session, flt))
    traces = [
        line(rows, 0, 1, "Daily active", "%{x}<br>%{y} learners active that day"),
        line(rows, 0, 2, "Weekly active", "%{x}<br>%{y} learners active in the 7 days to this day"),
        line(rows, 0, 3, "Monthly active", "%{x}<br>%{y} learners active in the 30 days to this day"),
        line(rows, 0, 4, "Stickiness (DAU/MAU)", "%{x}<br>stickiness %{y}%", yaxis="y2",
             line={"dash": "dot"}),
    ]  # fmt: skip
    return Chart(
        id="actives", title="Active learners and stickiness",
        header=["day", "daily_active", "weekly_active", "monthly_active", "stickiness_pct"],
        rows=rows, traces=traces, x_title="Day", y_title="Learners",
        layout={"yaxis2": {"title": {"text": "Stickiness (%)"}, "overlaying": "y", "side": "right",
                           "range": [0, 100], "automargin": True}},
    )  # fmt: skip


@chart(REPORT, "volume")
def volume_chart(session: Session, flt: ReportFilter) -> Chart:
    """Sessions (bars) and learning minutes (line, second axis) per day."""
    rows = fetch("engagement.volume", flt, lambda: q.sessions_and_minutes(session, flt))
    traces = [
        bar(rows, 0, 1, "Sessions", "%{x}<br>%{y} sessions"),
        line(rows, 0, 2, "Minutes", "%{x}<br>%{y:.0f} minutes learnt", yaxis="y2"),
    ]
    return Chart(
        id="volume", title="Sessions and minutes per day", header=["day", "sessions", "minutes"],
        rows=rows, traces=traces, x_title="Day", y_title="Sessions",
        layout={"yaxis2": {"title": {"text": "Minutes"}, "overlaying": "y", "side": "right",
                           "rangemode": "tozero", "automargin": True}},
    )  # fmt: skip


@chart(REPORT, "heatmap")
def heatmap_chart(session: Session, flt: ReportFilter) -> Chart:
    """Sessions by local hour of day and weekday."""
    rows = fetch("engagement.heatmap", flt, lambda: q.activity_heatmap(session, flt))
    z = [[row[2] for row in rows[wd * 24 : wd * 24 + 24]] for wd in range(7)] if rows else []
    trace = heatmap(list(range(24)), list(q.WEEKDAYS), z, "Sessions", "%{y}, %{x}:00<br>%{z} sessions")
    return Chart(
        id="heatmap", title="When learners learn (sessions by local hour and weekday)",
        header=["weekday", "hour", "sessions", "minutes"], rows=rows, traces=[trace] if rows else [],
        x_title="Hour of day (learner's local time)", y_title="Weekday",
        layout={"yaxis": {"autorange": "reversed"}, "xaxis": {"dtick": 2}},
    )  # fmt: skip


@chart(REPORT, "retention")
def retention_chart(session: Session, flt: ReportFilter) -> Chart:
    """Weekly retention cohorts: % of each week's new learners active N weeks later."""
    rows = fetch("engagement.retention", flt, lambda: q.retention(session, flt))
    weeks = sorted({row[0] for row in rows})
    offsets = list(range(max((row[1] for row in rows), default=-1) + 1))
    cell = {(row[0], row[1]): row[4] for row in rows}
    z = [[cell.get((wk, off)) for off in offsets] for wk in weeks]
    labels = column([(wk,) for wk in weeks], 0)
    trace = heatmap(offsets, labels, z, "Retained %", "Cohort of %{y}<br>%{x} weeks later: %{z}% active")
    return Chart(
        id="retention", title="Weekly retention cohorts",
        header=["cohort_week", "weeks_later", "cohort_size", "retained_learners", "retained_pct"],
        rows=rows, traces=[trace] if rows else [], x_title="Weeks after first activity",
        y_title="Cohort (week of first activity)",
        layout={"yaxis": {"autorange": "reversed", "type": "category"}},
        empty_message="No retention cohorts start in this range: widen it, or run "
        "`flask --app wsgi analytics refresh`.",
    )  # fmt: skip
