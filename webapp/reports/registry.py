"""The one shape of a report page: registered reports of figures, each a query plus a pure spec.

A report (`Report`) has a key (its URL: /reports/<key>), a template and its figures, in
order. A figure is a query function `(session, filter, context) -> rows`, reading rollups,
and a pure spec `(rows, filter, context) -> Chart`. A report that needs more than the filter
(a board, a learner, a day) names a context loader, which may refuse (404) what the user may
not see. The registry builds every figure the same way: the query through the report cache
(keyed by range, scope and context), the spec, then the dressing (ids, CSV link, drill-down
link, empty states); the views serve every page and every CSV from it.

Adding a report: a query module (webapp/reports/queries/), a spec module that registers the
report (webapp/reports/pages/, found by `load_pages`), and a template.
"""

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, url_for
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.reports.charts import Chart
from webapp.reports.definitions import EMPTY
from webapp.reports.filters import ReportFilter
from webapp.services.cache import cached

Context = Mapping[str, Any]
Query = Callable[[Session, ReportFilter, Context], Any]
Spec = Callable[[Any, ReportFilter, Context], Chart]
Loader = Callable[[Session, ReportFilter, str | None, MultiDict], Context]


@dataclass(frozen=True)
class Figure:
    """One figure of a report: where its rows come from and how they are shown."""

    id: str
    query: Query
    spec: Spec
    cache: bool = True


@dataclass
class Report:
    """A report page: its key (URL), title, template, figures and optional context."""

    key: str
    title: str
    template: str
    nav: int | None = None  # its place in the navigation bar; None: reached by links only
    label: str = ""  # its name in the navigation bar (default: the title)
    load: Loader | None = None  # the context: a board, a learner, a day (may abort 404)
    # Whether the URL names a context (/reports/<key>/<context>): "none", "optional" or "required".
    url_context: str = "none"
    saveable: bool = True
    group_filter: bool = True  # the filter bar offers the study groups
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def nav_label(self) -> str:
        """The report's name in the navigation bar."""
        return self.label or self.title

    def figure(self, figure_id: str, query: Query, cache: bool = True) -> Callable[[Spec], Spec]:
        """Register a spec as a figure of this report, with the query that feeds it."""

        def register(spec: Spec) -> Spec:
            self.figures[figure_id] = Figure(figure_id, query, spec, cache)
            return spec

        return register

    def context(self, session: Session, flt: ReportFilter, raw: str | None, args: MultiDict) -> Context:
        """Load the page's context from the URL (404 when it is missing or not the user's to see)."""
        if (raw is None and self.url_context == "required") or (
            raw is not None and self.url_context == "none"
        ):
            abort(404)
        return self.load(session, flt, raw, args) if self.load else {}


REPORTS: dict[str, Report] = {}
# Keys that earlier versions used in URLs and saved views.
ALIASES = {"at_risk": "at-risk", "learner": "learners"}


def register(report: Report) -> Report:
    """Register a report page under its key."""
    REPORTS[report.key] = report
    return report


def lookup(key: str) -> Report:
    """Return the registered report of a key (or an earlier key of it); 404 when there is none."""
    report = REPORTS.get(ALIASES.get(key, key))
    if report is None:
        abort(404)
    return report


def nav() -> list[Report]:
    """The reports of the navigation bar, in order."""
    return sorted((r for r in REPORTS.values() if r.nav is not None), key=lambda r: r.nav)


def load_pages() -> None:
    """Import every module of webapp.reports.pages, which registers its report."""
    from webapp.reports import pages

    for module in pkgutil.iter_modules(pages.__path__):
        importlib.import_module(f"{pages.__name__}.{module.name}")


def rows_of(report: Report, figure: Figure, session: Session, flt: ReportFilter, ctx: Context) -> Any:
    """Return a figure's rows, through the report cache (none for a scope holding nobody)."""
    if flt.scope.is_empty:
        return []
    if not figure.cache:
        return figure.query(session, flt, ctx)
    params = {**flt.cache_params(), "context": ctx.get("cache_key"), "all": bool(ctx.get("all_rows"))}
    return cached(f"{report.key}.{figure.id}", params, lambda: figure.query(session, flt, ctx))


def build(report: Report, figure_id: str, session: Session, flt: ReportFilter, ctx: Context) -> Chart:
    """Build one figure with its CSV and drill-down links; 404 when the report has no such figure."""
    figure = report.figures.get(figure_id)
    if figure is None:
        abort(404)
    chart = figure.spec(rows_of(report, figure, session, flt, ctx), flt, ctx)
    chart.id = f"{report.key}-{figure_id}"
    args = {**flt.to_args(), **ctx.get("url_args", {})}
    context = ctx.get("url_context")
    chart.csv_url = url_for("reports.chart_csv", key=report.key, chart=figure_id, context=context, **args)
    if chart.drill:
        chart.drill_url = url_for("reports.page", key=chart.drill, context="0000-00-00", **flt.to_args())
    if flt.scope.is_empty:
        chart.empty_message = EMPTY["no_groups"]
    chart.empty_message = chart.empty_message or EMPTY["no_activity"]
    return chart


def build_all(report: Report, session: Session, flt: ReportFilter, ctx: Context) -> dict[str, Chart]:
    """Build every figure of a report, by figure id, in registration order."""
    return {figure_id: build(report, figure_id, session, flt, ctx) for figure_id in report.figures}
