"""The overview: headline figures (KPI cards), each with a small trend chart."""

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from webapp.reports import queries as q
from webapp.reports.charts import Chart, line
from webapp.reports.filters import ReportFilter
from webapp.reports.registry import chart, fetch

REPORT = "overview"
SPARK = {"height": 170, "margin": {"l": 40, "r": 10, "t": 10, "b": 30}, "showlegend": False}


def daily_rows(session: Session, flt: ReportFilter) -> list:
    """The overview's daily rows, through the cache."""
    return fetch("overview.daily", flt, lambda: q.overview_daily(session, flt))


def risk_rows(session: Session, flt: ReportFilter) -> list:
    """Learners flagged at risk per as-of day, through the cache."""
    return fetch("overview.risk", flt, lambda: q.learners_at_risk(session, flt))


def headline(session: Session, flt: ReportFilter) -> dict[str, Any]:
    """The KPI figures of the overview."""
    return q.kpis(daily_rows(session, flt), risk_rows(session, flt))


def _spark(chart_id: str, title: str, header: list[str], rows: list, trace: dict, y_title: str) -> Chart:
    return Chart(
        id=chart_id, title=title, header=header, rows=rows, traces=[trace], x_title="", y_title=y_title,
        layout=SPARK, height=170,
    )  # fmt: skip


@chart(REPORT, "actives")
def actives_trend(session: Session, flt: ReportFilter) -> Chart:
    """Daily, weekly and monthly actives over the range."""
    rows = [r[:4] for r in daily_rows(session, flt)]
    result = _spark("actives", "Active learners", ["day", "daily_active", "weekly_active", "monthly_active"],
                    rows, line(rows, 0, 1, "Daily active", "%{x}<br>%{y} active"), "Learners")  # fmt: skip
    result.traces += [
        line(rows, 0, 2, "Weekly active", "%{x}<br>%{y} active in 7 days"),
        line(rows, 0, 3, "Monthly active", "%{x}<br>%{y} active in 30 days"),
    ]
    return result


@chart(REPORT, "minutes")
def minutes_trend(session: Session, flt: ReportFilter) -> Chart:
    """Minutes learnt per day."""
    rows = [(r[0], r[4]) for r in daily_rows(session, flt)]
    return _spark("minutes", "Minutes learnt", ["day", "minutes"], rows,
                  line(rows, 0, 1, "Minutes", "%{x}<br>%{y:.0f} minutes"), "Minutes")  # fmt: skip


@chart(REPORT, "focus")
def focus_trend(session: Session, flt: ReportFilter) -> Chart:
    """Average focus score per day."""
    rows = [(r[0], r[5], r[6]) for r in daily_rows(session, flt)]
    return _spark("focus", "Average focus", ["day", "avg_focus_score", "sessions_with_focus"], rows,
                  line(rows, 0, 1, "Focus", "%{x}<br>average focus %{y:.1f}"), "Focus")  # fmt: skip


@chart(REPORT, "at-risk")
def risk_trend(session: Session, flt: ReportFilter) -> Chart:
    """Learners flagged at risk on each day the flags were computed."""
    rows = risk_rows(session, flt)
    trace = line(rows, 0, 1, "At risk", "as of %{x}<br>%{y} learners at risk")
    result = _spark("at-risk", "Learners at risk", ["as_of", "learners_at_risk"], rows, trace, "Learners")
    result.empty_message = "No at-risk flags in this range: run `flask --app wsgi analytics refresh`."
    # Flags exist for few days (often one): a date axis over the whole range, like the other cards,
    # rather than Plotly's guess of a time axis around a single point.
    # Half a day of margin on each side keeps a point on the first or last day whole.
    span = [f"{flt.start - timedelta(days=1)} 12:00", f"{flt.end} 12:00"]
    result.layout = {**result.layout, "xaxis": {"type": "date", "range": span}}
    return result
