"""The attention report: focus and attention span over time, distributions, breakdowns."""

from webapp.i18n import lazy_tr, tr
from webapp.reports.charts import Chart, all_blank, bar, series
from webapp.reports.definitions import EMPTY, define
from webapp.reports.filters import ReportFilter
from webapp.reports.labels import labelled
from webapp.reports.queries import attention as q
from webapp.reports.queries.common import Context, Row
from webapp.reports.registry import Report, register

REPORT = register(Report("attention", lazy_tr("Attention"), "reports/attention.html", nav=3))


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@REPORT.figure("focus", q.focus_over_time)
def focus_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Average focus score per day, with the sessions it averages."""
    rows = [(day, _round(avg), n) for day, avg, n, _sum in rows]
    trace = series(
        rows,
        0,
        1,
        tr("Average focus"),
        tr("%{x}<br>average focus %{y:.1f} over %{customdata:,} sessions"),
        flt.partial_from,
        customdata=[r[2] for r in rows],
        connectgaps=False,
    )
    return Chart(
        id="focus",
        title=tr("Average focus score"),
        header=["day", "avg_focus_score", "sessions_with_focus"],
        rows=rows,
        traces=trace,
        x_title=tr("Day"),
        y_title=tr("Focus score (0-100)"),
        definition=define("focus_score"),
        layout={"yaxis": {"range": [0, 100]}},
        no_values=all_blank(rows, 1),
        empty_message=EMPTY["no_focus"],
    )


@REPORT.figure("span", q.span_over_time)
def span_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Average attention-span length per day, with the spans it averages."""
    rows = [(day, _round(avg), n) for day, avg, n in rows]
    trace = series(
        rows,
        0,
        1,
        tr("Average span"),
        tr("%{x}<br>average span %{y:.1f} min over %{customdata:,} spans"),
        flt.partial_from,
        customdata=[r[2] for r in rows],
    )
    return Chart(
        id="span",
        title=tr("Average attention span"),
        header=["day", "avg_span_minutes", "spans"],
        rows=rows,
        traces=trace,
        x_title=tr("Day"),
        y_title=tr("Minutes of focus per span"),
        definition=define("attention_span"),
        no_values=all_blank(rows, 1),
        empty_message=EMPTY["no_spans"],
    )


@REPORT.figure("focus-distribution", q.focus_distribution)
def focus_distribution_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """How many sessions fell in each focus-score band."""
    return Chart(
        id="focus-distribution",
        title=tr("Focus score distribution"),
        header=["focus_band", "sessions"],
        rows=rows,
        traces=[bar(rows, 0, 1, tr("Sessions"), tr("Focus %{x}<br>%{y:,} sessions"))],
        x_title=tr("Focus score band"),
        y_title=tr("Sessions"),
        no_values=all_blank(rows, 1),
        definition=define("focus_score"),
        empty_message=EMPTY["no_focus"],
    )


@REPORT.figure("span-distribution", q.span_distribution)
def span_distribution_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """How many attention spans fell in each length band."""
    return Chart(
        id="span-distribution",
        title=tr("Attention span distribution"),
        header=["span_band", "spans"],
        rows=rows,
        traces=[bar(labelled(rows, 0), 0, 1, tr("Spans"), tr("%{x}<br>%{y:,} spans"))],
        x_title=tr("Span length"),
        y_title=tr("Spans"),
        no_values=all_blank(rows, 1),
        definition=define("attention_span"),
        empty_message=EMPTY["no_spans"],
    )


@REPORT.figure("focus-by-hour", q.focus_by_hour)
def focus_by_hour_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Average focus by local hour of day, with the sessions each averages."""
    rows = [(hour, _round(avg), n) for hour, avg, n in rows]
    trace = bar(
        rows,
        0,
        1,
        tr("Average focus"),
        tr("%{x}:00<br>average focus %{y:.1f} over %{customdata:,} sessions"),
        customdata=[r[2] for r in rows],
    )
    return Chart(
        id="focus-by-hour",
        title=tr("Focus by hour of day"),
        header=["hour", "avg_focus_score", "sessions_with_focus"],
        rows=rows,
        traces=[trace],
        x_title=tr("Hour of day (learner's local time)"),
        y_title=tr("Focus score (0-100)"),
        definition=define("focus_score"),
        layout={"xaxis": {"dtick": 2, "range": [-0.5, 23.5]}, "yaxis": {"range": [0, 100]}},
    )


@REPORT.figure("focus-by-content", q.focus_by_content_type)
def focus_by_content_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Average focus by content type, with the sessions each averages."""
    rows = [(ct, _round(avg), fn, n, round(m, 2)) for ct, avg, fn, n, m in rows]
    trace = bar(
        labelled(rows, 0),
        0,
        1,
        tr("Average focus"),
        tr("%{x}<br>average focus %{y:.1f} over %{customdata:,} sessions"),
        customdata=[r[2] for r in rows],
    )
    return Chart(
        id="focus-by-content",
        title=tr("Focus by content type"),
        header=["content_type", "avg_focus_score", "sessions_with_focus", "sessions", "minutes"],
        rows=rows,
        traces=[trace],
        x_title=tr("Content type"),
        y_title=tr("Focus score (0-100)"),
        definition=define("focus_score"),
        layout={"yaxis": {"range": [0, 100]}},
    )


@REPORT.figure("interruptions", q.interruptions_per_session)
def interruptions_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Interruptions per session, per day, with the sessions it divides by."""
    rows = [(day, i, n, _round(r)) for day, i, n, r in rows]
    trace = series(
        rows,
        0,
        3,
        tr("Interruptions per session"),
        tr("%{x}<br>%{y:.2f} interruptions per session over %{customdata:,} sessions"),
        flt.partial_from,
        customdata=[r[2] for r in rows],
    )
    return Chart(
        id="interruptions",
        title=tr("Interruptions per session"),
        header=["day", "interruptions", "sessions", "interruptions_per_session"],
        rows=rows,
        traces=trace,
        x_title=tr("Day"),
        y_title=tr("Interruptions per session"),
        definition=define("interruptions"),
    )
