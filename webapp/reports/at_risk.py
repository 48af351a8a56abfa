"""The at-risk report: learners flagged by the documented rules, why, sortable and exportable.

Flags are those of the last evaluation up to the end of the date range; the
group filter scopes them (a teacher: one of their own groups, else 404).
"""

from flask import render_template, request, url_for
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.reports import at_risk_queries as q
from webapp.reports import bp
from webapp.reports.charts import NO_GROUPS, Chart, bar, csv_response
from webapp.reports.filters import ReportFilter
from webapp.reports.registry import chart
from webapp.reports.views import current_filter
from webapp.services.analytics.risk import RULES

REPORT = "at_risk"
NO_FLAGS = (
    "No learner is flagged: the rules have not run yet (`flask --app wsgi analytics refresh`) or none fired."
)


def scope_groups(flt: ReportFilter) -> set[int] | None:
    """Return the groups whose learners are listed: the chosen one, none at all, or everyone (None)."""
    if flt.group_id is not None:
        return {flt.group_id}
    return set() if flt.no_groups else None


def flagged(session: Session, flt: ReportFilter, sort: str = q.DEFAULT_SORT, desc: bool = False) -> tuple:
    """Return (as_of, rows) of the latest evaluation up to the range's end, in the filter's scope."""
    as_of = q.latest_as_of(session, flt.end)
    if as_of is None:
        return None, []
    return as_of, q.flagged(session, as_of, scope_groups(flt), sort, desc)


@chart(REPORT, "rules")
def rules_chart(session: Session, flt: ReportFilter) -> Chart:
    """How many learners each documented rule flagged."""
    return rules_chart_of(flagged(session, flt)[1])


def rules_chart_of(rows: list[dict]) -> Chart:
    """The rules chart of already fetched flags (the page's table rows)."""
    counts = q.rule_counts(rows) if rows else []
    most = max((n for _, n in counts), default=0)
    return Chart(
        id="rules", title="Learners flagged, by rule", header=["rule", "learners"], rows=counts,
        traces=[bar(counts, 1, 0, "Learners", "%{y}<br>%{x} learner(s) flagged", orientation="h")],
        x_title="Learners", y_title="Rule", empty_message=NO_FLAGS, height=280,
        # Whole learners only: one tick per learner while there are few of them.
        layout={"yaxis": {"autorange": "reversed"},
                "xaxis": {"rangemode": "tozero", **({"dtick": 1} if most <= 10 else {})}},
    )  # fmt: skip


@bp.get("/reports/at-risk")
def at_risk():
    """The flagged learners with the rule that fired and its detail; `sort=` picks the column."""
    flt = current_filter()
    sort, desc = q.parse_sort(request.args.get("sort"))
    as_of, rows = flagged(db.session, flt, sort, desc)
    return render_template(
        "reports/at_risk.html", flt=flt, report_key=REPORT, rows=rows, as_of=as_of, sort=sort, desc=desc,
        rules=RULES, rules_chart=page_chart(rows, flt), empty_message=NO_FLAGS,
    )  # fmt: skip


def page_chart(rows: list[dict], flt: ReportFilter) -> Chart:
    """The rules chart from the table's rows (no second query), dressed as the registry does."""
    result = rules_chart_of(rows)
    result.id = f"{REPORT}-rules"
    result.csv_url = url_for("reports.chart_csv", report=REPORT, chart="rules", **flt.to_args())
    if flt.no_groups:
        result.empty_message = NO_GROUPS
    return result


@bp.get("/reports/at-risk.csv")
def at_risk_csv():
    """The table of the page as CSV (same filter and sort), text cells neutralised."""
    flt = current_filter()
    sort, desc = q.parse_sort(request.args.get("sort"))
    as_of, rows = flagged(db.session, flt, sort, desc)
    name = f"at-risk-{as_of.isoformat() if as_of else 'none'}.csv"
    return csv_response(name, q.CSV_HEADER, q.csv_rows(rows, as_of))
