"""Charts of the attention report: focus and attention span over time, distributions, breakdowns."""

from sqlalchemy.orm import Session

from webapp.reports import queries as q
from webapp.reports.charts import Chart, all_blank, bar, line
from webapp.reports.filters import ReportFilter
from webapp.reports.registry import chart, fetch

REPORT = "attention"


@chart(REPORT, "focus")
def focus_chart(session: Session, flt: ReportFilter) -> Chart:
    """Average focus score per day."""
    rows = fetch("attention.focus", flt, lambda: q.focus_over_time(session, flt))
    trace = line(rows, 0, 1, "Average focus", "%{x}<br>average focus %{y:.1f} (%{customdata} sessions)",
                 customdata=[r[2] for r in rows], connectgaps=False)  # fmt: skip
    return Chart(
        id="focus", title="Average focus score", header=["day", "avg_focus_score", "sessions_with_focus"],
        rows=rows, traces=[trace], x_title="Day", y_title="Focus score (0-100)",
        layout={"yaxis": {"range": [0, 100]}}, no_values=all_blank(rows, 1),
        empty_message="No focus scores were recorded in this range.",
    )  # fmt: skip


@chart(REPORT, "span")
def span_chart(session: Session, flt: ReportFilter) -> Chart:
    """Average attention-span length per day."""
    rows = fetch("attention.span", flt, lambda: q.span_over_time(session, flt))
    trace = line(rows, 0, 1, "Average span", "%{x}<br>average span %{y:.1f} min (%{customdata} spans)",
                 customdata=[r[2] for r in rows])  # fmt: skip
    return Chart(
        id="span", title="Average attention span", header=["day", "avg_span_minutes", "spans"],
        rows=rows, traces=[trace], x_title="Day", y_title="Minutes of focus per span",
        no_values=all_blank(rows, 1), empty_message="No attention spans were recorded in this range.",
    )  # fmt: skip


@chart(REPORT, "focus-distribution")
def focus_distribution_chart(session: Session, flt: ReportFilter) -> Chart:
    """How many sessions fell in each focus-score band."""
    rows = fetch("attention.focus_dist", flt, lambda: q.focus_distribution(session, flt))
    return Chart(
        id="focus-distribution", title="Focus score distribution", header=["focus_band", "sessions"],
        rows=rows, traces=[bar(rows, 0, 1, "Sessions", "Focus %{x}<br>%{y} sessions")],
        x_title="Focus score band", y_title="Sessions", no_values=all_blank(rows, 1),
        empty_message="No focus scores were recorded in this range.",
    )  # fmt: skip


@chart(REPORT, "span-distribution")
def span_distribution_chart(session: Session, flt: ReportFilter) -> Chart:
    """How many attention spans fell in each length band."""
    rows = fetch("attention.span_dist", flt, lambda: q.span_distribution(session, flt))
    return Chart(
        id="span-distribution", title="Attention span distribution", header=["span_band", "spans"],
        rows=rows, traces=[bar(rows, 0, 1, "Spans", "%{x}<br>%{y} spans")],
        x_title="Span length", y_title="Spans", no_values=all_blank(rows, 1),
        empty_message="No attention spans were recorded in this range.",
    )  # fmt: skip


@chart(REPORT, "focus-by-hour")
def focus_by_hour_chart(session: Session, flt: ReportFilter) -> Chart:
    """Average focus by local hour of day."""
    rows = fetch("attention.by_hour", flt, lambda: q.focus_by_hour(session, flt))
    trace = bar(rows, 0, 1, "Average focus", "%{x}:00<br>average focus %{y:.1f} (%{customdata} sessions)",
                customdata=[r[2] for r in rows])  # fmt: skip
    return Chart(
        id="focus-by-hour", title="Focus by hour of day",
        header=["hour", "avg_focus_score", "sessions_with_focus"], rows=rows, traces=[trace],
        x_title="Hour of day (learner's local time)", y_title="Focus score (0-100)",
        layout={"xaxis": {"dtick": 2, "range": [-0.5, 23.5]}, "yaxis": {"range": [0, 100]}},
    )  # fmt: skip


@chart(REPORT, "focus-by-content")
def focus_by_content_chart(session: Session, flt: ReportFilter) -> Chart:
    """Average focus by content type."""
    rows = fetch("attention.by_content", flt, lambda: q.focus_by_content_type(session, flt))
    trace = bar(rows, 0, 1, "Average focus", "%{x}<br>average focus %{y:.1f} (%{customdata} sessions)",
                customdata=[r[2] for r in rows])  # fmt: skip
    return Chart(
        id="focus-by-content", title="Focus by content type",
        header=["content_type", "avg_focus_score", "sessions", "minutes"], rows=rows, traces=[trace],
        x_title="Content type", y_title="Focus score (0-100)", layout={"yaxis": {"range": [0, 100]}},
    )  # fmt: skip


@chart(REPORT, "interruptions")
def interruptions_chart(session: Session, flt: ReportFilter) -> Chart:
    """Interruptions per session, per day."""
    rows = fetch("attention.interruptions", flt, lambda: q.interruptions_per_session(session, flt))
    trace = line(rows, 0, 3, "Interruptions per session", "%{x}<br>%{y:.2f} interruptions per session")
    return Chart(
        id="interruptions", title="Interruptions per session",
        header=["day", "interruptions", "sessions", "interruptions_per_session"], rows=rows, traces=[trace],
        x_title="Day", y_title="Interruptions per session",
    )  # fmt: skip
