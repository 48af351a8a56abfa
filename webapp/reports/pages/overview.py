"""The overview: headline figures (KPI tiles against the previous period) and small trend charts."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from webapp.i18n import N_, day_text, lazy_tr, number, tr
from webapp.reports.charts import Chart, line, series
from webapp.reports.definitions import as_of, define, phrase, plural
from webapp.reports.filters import ReportFilter
from webapp.reports.queries import overview as q
from webapp.reports.queries import risk as rq
from webapp.reports.queries.common import Context, Row, ratio
from webapp.reports.registry import Report, register

REPORT = register(Report("overview", lazy_tr("Overview"), "reports/overview.html", nav=1))
SPARK = {
    "height": 190,
    "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
    "showlegend": True,
    "legend": {"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top", "font": {"size": 10}},
}
KPI_HEADER = ["figure", "value", "previous_value", "change", "sample", "as_of"]
# The report each tile summarises, as its link says it.
REPORTS = {
    "engagement": N_("the engagement report"),
    "attention": N_("the attention report"),
    "at-risk": N_("the at-risk report"),
}


def figures(rows: Sequence[Row]) -> dict[str, Any]:
    """The headline figures of overview_daily rows, from sums and counts (never from rounded means)."""
    focus_n = sum(r[5] for r in rows)
    last = rows[-1] if rows else None
    return {
        "day": last[0] if last else None,
        "actives": tuple(last[1:4]) if last else (None, None, None),
        "avg_active": ratio(sum(r[1] for r in rows), len(rows)),
        "days": len(rows),
        "minutes": sum(r[4] for r in rows) if rows else None,
        "avg_focus": ratio(sum(r[6] for r in rows), focus_n),
        "focus_n": focus_n,
    }


def change(now: float | None, before: float | None, days: str, points: bool = False) -> tuple[str, str]:
    """(direction, words) of a figure against the previous period: a percentage, or points for scores."""
    if now is None or before is None or (not points and not before):
        return "none", phrase("no_previous", days=days)
    diff = now - before
    size = round(abs(diff), 1) if points else round(100 * abs(diff) / before)
    if not size:
        return "same", phrase("same", days=days)
    way = "up" if diff > 0 else "down"
    key = f"{way}_points" if points else way
    return way, phrase(key, **({"diff": size} if points else {"pct": size}), days=days)


def _tile(key: str, title: str, value: Any, before: Any, link: str, terms: tuple, **kw: Any) -> dict:
    return {
        "key": key,
        "title": title,
        "value": value,
        "before": before,
        "link": link,
        "definition": define(*terms),
        **kw,
    }


def tiles(data: dict, flt: ReportFilter) -> list[dict]:
    """The four KPI tiles: figure, previous figure, change, and the page each one summarises."""
    now, before = figures(data["now"]), figures(data["before"])
    (risk_day, risk_n), (_, risk_before) = data["risk"], data["risk_before"]
    out = [
        _tile("avg_active", tr("Average daily active learners"), now["avg_active"], before["avg_active"],
              "engagement", ("average_active", "active"), digits=1, sample=plural("days", now["days"])),
        _tile("minutes", tr("Minutes learnt"), now["minutes"], before["minutes"], "engagement",
              ("sessions",)),
        _tile("avg_focus", tr("Average focus score"), now["avg_focus"], before["avg_focus"], "attention",
              ("focus_score",), digits=1, points=True, sample=plural("sessions", now["focus_n"])),
        _tile("at_risk", tr("Learners at risk"), risk_n, risk_before, "at-risk", ("at_risk",),
              note=as_of(risk_day)),
    ]  # fmt: skip
    days = plural("days", flt.days)
    for tile in out:
        tile["direction"], tile["change"] = change(
            tile["value"], tile["before"], days, tile.get("points", False)
        )
        tile["link_text"] = phrase("see_report", report=tr(REPORTS[tile["link"]]))
        tile["sample_text"] = phrase("sample", sample=tile["sample"]) if tile.get("sample") else ""
    if now["day"]:
        daily, weekly, monthly = (number(n) for n in now["actives"])
        out[0]["sub"] = phrase("actives_on", day=day_text(now["day"]), daily=daily, weekly=weekly,
                               monthly=monthly)  # fmt: skip
    return out


@REPORT.figure("kpis", q.headline)
def kpi_tiles(data: dict, flt: ReportFilter, ctx: Context) -> Chart:
    """The headline figures, each against the previous period of equal length; the CSV lists them."""
    if not data:
        return Chart(id="kpis", title=tr("Headline figures"), header=KPI_HEADER, rows=[], kind="tiles")
    shown = tiles(data, flt)
    rows = [
        (t["key"], t["value"], t["before"], t["change"], t.get("sample", ""), t.get("note", ""))
        for t in shown
    ]
    return Chart(
        id="kpis",
        title=tr("Headline figures"),
        header=KPI_HEADER,
        rows=rows,
        kind="tiles",
        extra={"tiles": shown},
    )


def _spark(
    chart_id: str,
    title: str,
    header: list[str],
    rows: list,
    traces: list,
    y_title: str,
    terms: tuple[str, ...],
) -> Chart:
    return Chart(
        id=chart_id,
        title=title,
        header=header,
        rows=rows,
        traces=traces,
        y_title=y_title,
        layout=SPARK,
        height=190,
        definition=define(*terms),
    )


@REPORT.figure("actives", q.overview_daily)
def actives_trend(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Daily, weekly and monthly actives over the range; a click on a day lists its active learners."""
    rows = [r[:4] for r in rows]
    p = flt.partial_from
    traces = [
        *series(
            rows, 0, 1, tr("Daily"), tr("%{x}<br>%{y:,} active"), p, tr("%{x} (so far)<br>%{y:,} active")
        ),
        *series(rows, 0, 2, tr("Weekly"), tr("%{x}<br>%{y:,} active in 7 days"), p),
        *series(rows, 0, 3, tr("Monthly"), tr("%{x}<br>%{y:,} active in 30 days"), p),
    ]
    chart = _spark(
        "actives",
        tr("Active learners"),
        ["day", "daily_active", "weekly_active", "monthly_active"],
        rows,
        traces,
        tr("Learners"),
        ("actives",),
    )
    chart.drill = "active"
    return chart


@REPORT.figure("minutes", q.overview_daily)
def minutes_trend(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Minutes learnt per day."""
    rows = [(r[0], round(r[4], 2)) for r in rows]
    traces = series(rows, 0, 1, tr("Minutes"), tr("%{x}<br>%{y:,.0f} minutes"), flt.partial_from)
    return _spark(
        "minutes", tr("Minutes learnt"), ["day", "minutes"], rows, traces, tr("Minutes"), ("sessions",)
    )


@REPORT.figure("focus", q.overview_daily)
def focus_trend(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Average focus score per day, with the sessions it averages."""
    rows = [(r[0], _round(ratio(r[6], r[5])), r[5]) for r in rows]
    hover = tr("%{x}<br>average focus %{y:.1f} over %{customdata:,} sessions")
    traces = series(rows, 0, 1, tr("Average focus"), hover, flt.partial_from, customdata=[r[2] for r in rows])
    return _spark(
        "focus",
        tr("Average focus score"),
        ["day", "avg_focus_score", "sessions_with_focus"],
        rows,
        traces,
        tr("Focus"),
        ("focus_score",),
    )


@REPORT.figure("at-risk", rq.series)
def risk_trend(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Learners flagged at risk as of each evaluated day of the range."""
    trace = line(rows, 0, 1, tr("Learners at risk"), tr("as of %{x}<br>%{y:,} learners at risk"))
    chart = _spark(
        "at-risk",
        tr("Learners at risk"),
        ["as_of", "learners_at_risk"],
        rows,
        [trace],
        tr("Learners"),
        ("at_risk",),
    )
    # A date axis over the whole range, like the other cards (half a day of margin each side).
    span = [f"{flt.start - timedelta(days=1)} 12:00", f"{flt.end} 12:00"]
    chart.layout = {**chart.layout, "xaxis": {"type": "date", "range": span}}
    return chart


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
