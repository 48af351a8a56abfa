"""Routes of the reports blueprint: one page route and one CSV route for every registered report.

Every route needs a signed-in staff member allowed to read "reports"; the filter (and its
scope) is worked out once per request by `current_filter`.
"""

from datetime import UTC, datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BaseConverter

from webapp.auth.access import REPORTS, Action, can
from webapp.extensions import db, login_manager
from webapp.i18n import DEFAULT_LOCALE, day_text, number, parse
from webapp.jobs.schedule import BY_NAME
from webapp.reports import registry, saved
from webapp.reports.charts import csv_response
from webapp.reports.definitions import DEFINITIONS, RANGE, csv_header, plural
from webapp.reports.filters import ReportFilter, parse_filter
from webapp.reports.labels import label
from webapp.services.analytics.asof import (
    first_active_day,
    last_complete_day,
    last_refreshed_at,
    latest_day,
    learner_zones,
)
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


def current_filter(args: MultiDict | None = None) -> ReportFilter:
    """The filter of this request (or of args), for the signed-in user (404 for a group they may
    not see); its range ends by the last day complete for every learner, never in the future."""
    zones = cached("meta.zones", {}, lambda: learner_zones(db.session))
    now = datetime.now(UTC)
    complete, latest = last_complete_day(now, zones), latest_day(now, zones)
    return parse_filter(db.session, current_user, request.args if args is None else args, complete, latest)


def range_notice(flt: ReportFilter) -> str:
    """What the page says of a range that ends before the first day with activity in its scope."""
    if flt.scope.key is None:
        return ""
    first = cached(
        "meta.first_day", {"scope": flt.scope.key}, lambda: first_active_day(db.session, flt.scope.key)
    )
    return RANGE["before_data"].format(day=day_text(first)) if first and flt.end < first else ""


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
    """How often the figures are updated and when they last were, for the page header."""
    at = cached("meta.refreshed", {}, lambda: last_refreshed_at(db.session))
    minutes = round((BY_NAME["analytics_refresh"].interval or 0) / 60)
    return plural("data_as_of", minutes, time=f"{at:%Y-%m-%d %H:%M}") if at else plural("no_refresh", minutes)


@bp.app_template_filter("num")
def num(value: float | int | None, digits: int = 0) -> str:
    """A number grouped for the locale (1,23,456 in hi and en-IN), fixed decimals (an en dash for none)."""
    return number(value, digits)


@bp.app_template_filter("label")
def label_filter(value: object) -> object:
    """A stored value's words in the request's language (badge tiers, path states...)."""
    return label(value)


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
    notice = range_notice(flt)
    return render_template(report.template, report=report, flt=flt, ctx=ctx, charts=charts, notice=notice)


@bp.get("/reports/<key>/<chart>.csv", defaults={"context": None})
@bp.get("/reports/<key>/<context:context>/<chart>.csv")
def chart_csv(key: str, chart: str, context: str | None):
    """The rows one figure shows, as CSV, for the same filter and context (every row of a table).

    Machine-readable in every language: the rows are built in English (plain numbers, ISO
    dates, the stored words); `?lang=hi` (or en) asks for the column names in words instead.
    """
    lang = request.args.get("lang")
    if lang is not None and parse(lang) is None:
        abort(400)
    report = registry.lookup(key)
    with force_locale(DEFAULT_LOCALE):
        flt = current_filter()
        ctx = {**report.context(db.session, flt, context, request.args), "all_rows": True}
        result = registry.build(report, chart, db.session, flt, ctx)
    header = result.header
    if lang is not None:
        with force_locale(parse(lang)):
            header = csv_header(header)
    name = "-".join(p for p in (report.key, context, chart, flt.start.isoformat(), flt.end.isoformat()) if p)
    return csv_response(f"{name}.csv", header, result.rows)


@bp.get("/reports/at-risk.csv")
def at_risk_csv_before():
    """The at-risk table's CSV at its earlier address."""
    return redirect(url_for("reports.chart_csv", key="at-risk", chart="table", **request.args))
