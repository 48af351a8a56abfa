"""Which charts each report shows: builders registered per (report, chart id).

A builder takes a session and a filter and returns a `Chart`; the page of a
report draws every chart registered for it, in order, and the CSV route
serves any one of them, so a CSV always holds exactly the rows of its chart.
Other report modules register their own charts with `@chart(report, id)`.
"""

from collections.abc import Callable
from typing import Any

from flask import abort, url_for
from sqlalchemy.orm import Session

from webapp.reports.charts import NO_GROUPS, Chart
from webapp.reports.filters import ReportFilter
from webapp.services.cache import cached

Builder = Callable[[Session, ReportFilter], Chart]

CHARTS: dict[str, dict[str, Builder]] = {}


def chart(report: str, chart_id: str) -> Callable[[Builder], Builder]:
    """Register a chart builder under a report and a chart id (the CSV's name)."""

    def register(builder: Builder) -> Builder:
        CHARTS.setdefault(report, {})[chart_id] = builder
        return builder

    return register


def fetch(namespace: str, flt: ReportFilter, compute: Callable[[], Any]) -> Any:
    """Return compute() through the report cache, keyed by the filter's range and scope."""
    if flt.scope is None:
        return []
    return cached(namespace, flt.cache_params(), compute)


def build(report: str, chart_id: str, session: Session, flt: ReportFilter) -> Chart:
    """Build one registered chart with its CSV link; 404 when there is no such chart."""
    builder = CHARTS.get(report, {}).get(chart_id)
    if builder is None:
        abort(404)
    result = builder(session, flt)
    result.id = f"{report}-{chart_id}"
    result.csv_url = url_for("reports.chart_csv", report=report, chart=chart_id, **flt.to_args())
    if flt.no_groups:
        result.empty_message = NO_GROUPS
    return result


def build_all(report: str, session: Session, flt: ReportFilter) -> dict[str, Chart]:
    """Build every chart of a report, by chart id, in registration order."""
    return {chart_id: build(report, chart_id, session, flt) for chart_id in CHARTS.get(report, {})}
