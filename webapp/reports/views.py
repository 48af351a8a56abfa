"""Routes of the reports blueprint: one page route and one CSV route for every registered report.

Every route needs a signed-in staff member allowed to read "reports"; the filter (and its
scope) is worked out once per request by `current_filter`.
"""

from datetime import UTC, date, datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.routing import BaseConverter

from webapp.auth.access import REPORTS, Action, can
from webapp.extensions import db, login_manager
from webapp.reports import registry, saved
from webapp.reports.charts import csv_response
from webapp.reports.definitions import DEFINITIONS, phrase, plural
from webapp.reports.filters import ReportFilter, parse_filter
from webapp.services.analytics.asof import last_complete_day, last_refreshed_at, learner_zones
from webapp.services.cache import cached

bp = Blueprint("reports", __name__)


class ContextConverter(BaseConverter):
    """The context part of a report URL: an id or a day (digits and dashes, never a file name)."""

    regex = r"[0-9][0-9-]{0,15}"


bp.record_once(lambda state: state.app.url_map.converters.setdefault("context", ContextConverter))


@bp.before_request
def require_report_reader():
    """Send anonymous visitors to the login page; refuse roles that may not read reports."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can(current_user, REPORTS, Action.LIST):
        abort(403)
    return None


def last_complete() -> date:
    """The last day complete for every learner (the learners' time zones are cached)."""
    zones = cached("meta.zones", {}, lambda: learner_zones(db.session))
    return last_complete_day(datetime.now(UTC), zones)


def current_filter() -> ReportFilter:
    """The filter of this request, for the signed-in user (404 for a group they may not see)."""
    return parse_filter(db.session, current_user, request.args, last_complete())


@bp.app_context_processor
def report_helpers() -> dict:
    """The report pages of the navigation bar and the helpers every report template uses."""
    return {
        "report_nav": registry.nav(),
        "here_url": here_url,
        "data_as_of": data_as_of,
        "saved_views": lambda: saved.views(db.session, current_user),
        "plural": plural,
        "definitions": DEFINITIONS,
    }


def data_as_of() -> str:
    """ "Data as of <time of the last refresh>" for the page header."""
    at = cached("meta.refreshed", {}, lambda: last_refreshed_at(db.session))
    return phrase("data_as_of", time=f"{at:%Y-%m-%d %H:%M}") if at else phrase("no_refresh")


@bp.app_template_filter("code_spans")
def code_spans(text: str) -> Markup:
    """Escape text and show its `quoted` commands as code."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts)))  # noqa: S704


@bp.app_template_filter("num")
def num(value: float | int | None, digits: int = 0) -> str:
    """A number with thousands separators and a fixed number of decimals ("-" for none)."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    return f"{value:,.{digits}f}"


def here_url(flt: ReportFilter, **changes) -> str:
    """The URL of this page with the filter changed (e.g. another preset)."""
    args = {k: v for k, v in request.args.items() if k not in {"range", "from", "to", "group", "page"}}
    return url_for(request.endpoint, **(request.view_args or {}), **{**args, **flt.to_args(**changes)})


@bp.get("/", defaults={"key": "overview", "context": None})
@bp.get("/reports/<key>", defaults={"context": None})
@bp.get("/reports/<key>/<context:context>")
def page(key: str, context: str | None):
    """Any report page: its filter, its context (a board, a learner, a day) and every figure."""
    report = registry.lookup(key)
    if report.key != key:  # an earlier key of the report: its URL today
        return redirect(url_for("reports.page", key=report.key, context=context, **request.args))
    flt = current_filter()
    ctx = report.context(db.session, flt, context, request.args)
    charts = registry.build_all(report, db.session, flt, ctx)
    return render_template(report.template, report=report, flt=flt, ctx=ctx, charts=charts)


@bp.get("/reports/<key>/<chart>.csv", defaults={"context": None})
@bp.get("/reports/<key>/<context:context>/<chart>.csv")
def chart_csv(key: str, chart: str, context: str | None):
    """The rows one figure shows, as CSV, for the same filter and context (every row of a table)."""
    report = registry.lookup(key)
    flt = current_filter()
    ctx = {**report.context(db.session, flt, context, request.args), "all_rows": True}
    result = registry.build(report, chart, db.session, flt, ctx)
    name = "-".join(p for p in (report.key, context, chart, flt.start.isoformat(), flt.end.isoformat()) if p)
    return csv_response(f"{name}.csv", result.header, result.rows)


@bp.get("/reports/at-risk.csv")
def at_risk_csv_before():
    """The at-risk table's CSV at its earlier address."""
    return redirect(url_for("reports.chart_csv", key="at-risk", chart="table", **request.args))


@bp.get("/reports/saved", endpoint="saved")
def saved_list():
    """List the signed-in user's saved views."""
    return render_template("reports/saved.html")


@bp.post("/reports/saved")
def save_view():
    """Save the current filter of a report under a name (CSRF-checked by CSRFProtect)."""
    report = registry.REPORTS.get(request.form.get("report", ""))
    if report is None or not report.saveable:
        return saved.refuse()
    flt = parse_filter(db.session, current_user, request.form, last_complete())
    context = request.form.get("context") or None
    report.context(db.session, flt, context, request.form)  # 404 for a board the user may not see
    return saved.save(db.session, current_user, report.key, request.form.get("name", ""), flt, context)
