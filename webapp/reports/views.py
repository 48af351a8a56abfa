"""Routes of the reports blueprint: short views over the filter, the chart registry and saved views."""

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from webapp.extensions import db
from webapp.models.analytics.reports import ReportDefinition
from webapp.reports import bp
from webapp.reports.charts import csv_response
from webapp.reports.filters import ReportFilter, parse_filter
from webapp.reports.overview import headline
from webapp.reports.registry import build, build_all

# Saved views link back to these pages (other report modules add theirs).
REPORT_ENDPOINTS: dict[str, str] = {
    "overview": "reports.overview", "engagement": "reports.engagement", "attention": "reports.attention",
    "leaderboard": "reports.leaderboard", "at_risk": "reports.at_risk",
}
ARG_ORDER = {"range": 0, "from": 1, "to": 2, "group": 3}
NAV = (("Overview", "reports.overview"), ("Engagement", "reports.engagement"),
       ("Attention", "reports.attention"), ("Leaderboard", "reports.leaderboard"),
       ("At risk", "reports.at_risk"))  # fmt: skip


def report_today():
    """The last day of the preset ranges: today in UTC (rollup days are learners' local days)."""
    return datetime.now(UTC).date()


def current_filter() -> ReportFilter:
    """The filter of this request, for the signed-in user (404 for a group they may not see)."""
    return parse_filter(db.session, current_user, request.args, report_today())


@bp.app_context_processor
def report_links() -> dict:
    """The report pages that exist, for the navigation bar."""
    have = current_app.view_functions
    return {"report_nav": [(label, ep) for label, ep in NAV if ep in have], "here_url": here_url}


@bp.app_template_filter("code_spans")
def code_spans(text: str) -> Markup:
    """Escape text and show its `quoted` commands as code."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts)))  # noqa: S704


def here_url(flt: ReportFilter, **changes) -> str:
    """The URL of this page with the filter changed (e.g. another preset)."""
    return url_for(request.endpoint, **(request.view_args or {}), **flt.to_args(**changes))


def render_report(report: str, template: str, **context):
    """Render a report page with its filter and every registered chart."""
    flt = current_filter()
    charts = build_all(report, db.session, flt)
    return render_template(template, flt=flt, charts=charts, report_key=report, **context)


@bp.get("/")
def overview():
    """The overview: headline figures with trends, links into each report, saved views."""
    flt = current_filter()
    return render_report(
        "overview", "reports/overview.html", kpi=headline(db.session, flt), saved=saved_views()
    )


@bp.get("/reports/engagement")
def engagement():
    """Actives and stickiness, volumes, the hour x weekday heatmap and retention cohorts."""
    return render_report("engagement", "reports/engagement.html")


@bp.get("/reports/attention")
def attention():
    """Focus and attention span over time, distributions and breakdowns."""
    return render_report("attention", "reports/attention.html")


@bp.get("/reports/<report>/<chart>.csv")
def chart_csv(report: str, chart: str):
    """The rows one chart plots, as CSV, for the same filter."""
    flt = current_filter()
    result = build(report, chart, db.session, flt)
    name = f"{report}-{chart}-{flt.start.isoformat()}-{flt.end.isoformat()}.csv"
    return csv_response(name, result.header, result.rows)


def saved_views() -> list[tuple[ReportDefinition, str | None]]:
    """The signed-in user's own saved views, each with its URL (None if the page is gone)."""
    stmt = select(ReportDefinition).where(ReportDefinition.owner_id == current_user.id)
    out = []
    for view in db.session.scalars(stmt.order_by(ReportDefinition.name)):
        endpoint = REPORT_ENDPOINTS.get(view.report_type)
        ok = endpoint in current_app.view_functions
        # A fixed key order (JSONB reorders keys), so that a saved URL reads like the page's own.
        filters = view.filters or {}
        args = {k: str(filters[k]) for k in sorted(filters, key=lambda k: (ARG_ORDER.get(k, 9), k))}
        out.append((view, url_for(endpoint, **args) if ok else None))
    return out


@bp.get("/reports/saved")
def saved():
    """List the signed-in user's saved views."""
    return render_template("reports/saved.html", saved=saved_views())


@bp.post("/reports/saved")
def save_view():
    """Save the current filter of a report under a name (CSRF-checked by CSRFProtect)."""
    report = request.form.get("report", "")
    name = request.form.get("name", "").strip()[:120]
    if report not in REPORT_ENDPOINTS or REPORT_ENDPOINTS[report] not in current_app.view_functions:
        flash("That report cannot be saved.", "danger")
        return redirect(url_for("reports.saved"))
    flt = parse_filter(db.session, current_user, request.form, report_today())
    back = url_for(REPORT_ENDPOINTS[report], **flt.to_args())
    if not name:
        flash("Give the view a name to save it.", "warning")
        return redirect(back)
    stmt = select(ReportDefinition).where(
        ReportDefinition.owner_id == current_user.id, ReportDefinition.name == name
    )
    view = db.session.scalar(stmt) or ReportDefinition(owner_id=current_user.id, name=name)
    view.report_type, view.filters = report, flt.to_args()
    db.session.add(view)
    db.session.commit()
    flash(f"Saved the view \u201c{name}\u201d.", "success")
    return redirect(back)
