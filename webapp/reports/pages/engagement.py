"""The engagement report: actives and stickiness, volumes, when learners learn, retention cohorts."""

from datetime import date, timedelta

from webapp.i18n import day_text, lazy_tr, number, tr, weekday_names
from webapp.reports.charts import Chart, bar, heatmap, series
from webapp.reports.definitions import EMPTY, define, phrase
from webapp.reports.filters import ReportFilter
from webapp.reports.queries import engagement as q
from webapp.reports.queries.common import Context, Row
from webapp.reports.registry import Report, register
from webapp.services.analytics import cohorts

REPORT = register(Report("engagement", lazy_tr("Engagement"), "reports/engagement.html", nav=2))
SMALL_COHORT = 5  # learners: percentages of smaller cohorts are greyed
COHORT_WEEKS = cohorts.COHORT_WEEKS
GREYS = [[0, "#f0f0f0"], [1, "#bdbdbd"]]


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


STICKINESS_AXIS = {"overlaying": "y", "side": "right", "range": [0, 100],
                   "tickmode": "linear", "dtick": 25, "showgrid": False, "automargin": True}  # fmt: skip


@REPORT.figure("actives", q.active_learners)
def actives_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Daily, weekly and monthly active learners, with stickiness on a second axis."""
    rows = [(day, dau, wau, mau, _round(sticky)) for day, dau, wau, mau, sticky in rows]
    p = flt.partial_from
    traces = [
        *series(rows, 0, 1, tr("Daily active"), tr("%{x}<br>%{y:,} learners active that day"), p,
                tr("%{x} (so far)<br>%{y:,} learners active")),
        *series(rows, 0, 2, tr("Weekly active"),
                tr("%{x}<br>%{y:,} learners active in the 7 days to this day"), p),
        *series(rows, 0, 3, tr("Monthly active"),
                tr("%{x}<br>%{y:,} learners active in the 30 days to this day"), p),
        *series(rows, 0, 4, tr("Stickiness (DAU/MAU)"), tr("%{x}<br>stickiness %{y:.1f}%"), p, yaxis="y2",
                line={"dash": "dash"}),
    ]  # fmt: skip
    chart = Chart(
        id="actives", title=tr("Active learners and stickiness"),
        header=["day", "daily_active", "weekly_active", "monthly_active", "stickiness_pct"], rows=rows,
        traces=traces, x_title=tr("Day"), y_title=tr("Learners"),
        definition=define("active", "actives", "stickiness"),
        layout={"yaxis": {"rangemode": "tozero"},
                "yaxis2": {**STICKINESS_AXIS, "title": {"text": tr("Stickiness (%)")}}},
    )  # fmt: skip
    chart.drill = "active"
    return chart


@REPORT.figure("volume", q.sessions_and_minutes)
def volume_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Sessions (bars) and learning minutes (line, second axis) per day."""
    rows = [(day, n, round(m, 2)) for day, n, m in rows]
    traces = [
        bar(rows, 0, 1, tr("Sessions"), tr("%{x}<br>%{y:,} sessions")),
        *series(
            rows, 0, 2, tr("Minutes"), tr("%{x}<br>%{y:,.0f} minutes learnt"), flt.partial_from, yaxis="y2"
        ),
    ]
    return Chart(
        id="volume",
        title=tr("Sessions and minutes per day"),
        header=["day", "sessions", "minutes"],
        rows=rows,
        traces=traces,
        x_title=tr("Day"),
        y_title=tr("Sessions"),
        definition=define("sessions"),
        layout={
            "yaxis2": {
                "title": {"text": tr("Minutes")},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "automargin": True,
            }
        },
    )


@REPORT.figure("heatmap", q.activity_heatmap)
def heatmap_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Sessions by local hour of day and weekday."""
    rows = [(wd, hour, n, round(m, 2)) for wd, hour, n, m in rows]
    z = [[row[2] for row in rows[wd * 24 : wd * 24 + 24]] for wd in range(7)] if rows else []
    trace = heatmap(
        list(range(24)),
        list(weekday_names("wide")),
        z,
        tr("Sessions"),
        tr("%{y}, %{x}:00<br>%{z:,} sessions"),
    )
    return Chart(
        id="heatmap",
        title=tr("When learners learn"),
        header=["weekday", "hour", "sessions", "minutes"],
        rows=rows,
        traces=[trace] if rows else [],
        x_title=tr("Hour of day (learner's local time)"),
        y_title=tr("Weekday"),
        definition=define("heatmap"),
        layout={"yaxis": {"autorange": "reversed"}, "xaxis": {"dtick": 2}},
    )


def _unfinished(week: date, offset: int, as_of: date | None) -> bool:
    """Whether a cohort's week at this offset was not over on the day its figures are as of."""
    return as_of is not None and week + timedelta(weeks=offset, days=6) > as_of


def with_zero_weeks(rows: list[Row]) -> list[Row]:
    """The cohort rows with the weeks nobody came back in (0 retained), up to the day they are as of."""
    out = {(r[0], r[1]): r for r in rows}
    for wk, _off, size, _kept, _pct, as_of in {(r[0], 0, r[2], 0, 0, r[5]) for r in rows}:
        last = min(COHORT_WEEKS - 1, ((as_of - wk).days // 7) if as_of else 0)
        for off in range(last + 1):
            out.setdefault((wk, off), (wk, off, size, 0, 0.0, as_of))
    return sorted(out.values(), key=lambda r: (r[0], r[1]))


def _cohort_grid(rows: list[Row], small: bool) -> dict[str, list[list]]:
    """z (percent), the text in each cell and its hover detail, for the small or the other cohorts."""
    weeks = sorted({r[0] for r in rows})
    offsets = range(max(r[1] for r in rows) + 1)
    cell = {(r[0], r[1]): r for r in rows if (r[2] < SMALL_COHORT) is small}
    grid: dict[str, list[list]] = {"z": [], "text": [], "customdata": []}
    for wk in weeks:
        found = [cell.get((wk, off)) for off in offsets]
        grid["z"].append([r[4] if r else None for r in found])
        grid["text"].append([f"{r[4]:.0f}%" if r else "" for r in found])
        grid["customdata"].append([_detail(r) if r else "" for r in found])
    return grid


def _detail(r: Row) -> str:
    key = "retained_so_far" if _unfinished(r[0], r[1], r[5]) else "retained_of"
    return phrase(key, kept=f"{r[3]:,}", size=f"{r[2]:,}")


def _retention_traces(rows: list[Row]) -> list[dict]:
    weeks = sorted({r[0] for r in rows})
    size = {r[0]: r[2] for r in rows}
    labels = [phrase("cohort_label", week=day_text(wk), size=number(size[wk])) for wk in weeks]
    offsets = list(range(max(r[1] for r in rows) + 1))
    hover = tr("Cohort of %{y}<br>%{x} weeks later: %{customdata}")
    traces = []
    for small, extra in ((False, {}), (True, {"colorscale": GREYS, "showscale": False})):
        grid = _cohort_grid(rows, small)
        name = tr("Small cohorts") if small else tr("Retained %")
        traces.append(heatmap(offsets, labels, grid["z"], name, hover,
                              text=grid["text"], customdata=grid["customdata"], texttemplate="%{text}",
                              zmin=0, zmax=100, **extra))  # fmt: skip
    open_weeks = [r for r in rows if _unfinished(r[0], r[1], r[5])]
    traces.append({
        "type": "scatter", "mode": "markers", "name": tr("Week not over"), "hoverinfo": "skip",
        "x": [r[1] for r in open_weeks], "y": [labels[weeks.index(r[0])] for r in open_weeks],
        "marker": {"symbol": "square-open", "size": 18, "color": "#444"},
    })  # fmt: skip
    return traces


@REPORT.figure("retention", q.retention)
def retention_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Weekly retention cohorts: % of each week's new learners active N weeks later."""
    rows = [
        (wk, off, size, kept, _round(pct), as_of) for wk, off, size, kept, pct, as_of in with_zero_weeks(rows)
    ]
    return Chart(
        id="retention",
        title=tr("Weekly retention cohorts"),
        header=["cohort_week", "weeks_later", "cohort_size", "retained_learners", "retained_pct", "as_of"],
        rows=rows,
        traces=_retention_traces(rows) if rows else [],
        x_title=tr("Weeks after the first week"),
        y_title=tr("Cohort: week of first activity (learners)"),
        definition=define("retention", "retention_marks"),
        layout={"yaxis": {"autorange": "reversed", "type": "category"}, "xaxis": {"dtick": 1}},
        empty_message=EMPTY["no_cohort"],
    )
