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
# Rows per page: an operator's district can have thousands of flags; the CSV has them all.
PAGE_SIZE = 100
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
    as_of = q.latest_as_of(session, flt.end)
    return rules_chart_of(q.rule_counts_of(session, as_of, scope_groups(flt)) if as_of else [])


def rules_chart_of(counts: list[tuple[str, int]]) -> Chart:
    """The rules chart of (rule title, learners) counts; empty when no learner is flagged."""
    counts = counts if any(n for _, n in counts) else []
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
    session, groups = db.session, scope_groups(flt)
    as_of = q.latest_as_of(session, flt.end)
    total, rows, counts = 0, [], []
    pages, page = 1, 1
    if as_of is not None:
        total = q.count_flags(session, as_of, groups)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(_page_number(request.args.get("page")), pages)
        rows = q.flagged(session, as_of, groups, sort, desc, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        counts = q.rule_counts_of(session, as_of, groups)
    return render_template(
        "reports/at_risk.html", flt=flt, report_key=REPORT, rows=rows, as_of=as_of, sort=sort, desc=desc,
        rules=RULES, rules_chart=page_chart(counts, flt), empty_message=NO_FLAGS,
        total=total, page=page, pages=pages, first=(page - 1) * PAGE_SIZE + 1,
    )  # fmt: skip


def _page_number(raw: str | None) -> int:
    """A page number from the URL: a positive integer, anything else is page 1."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def page_chart(counts: list[tuple[str, int]], flt: ReportFilter) -> Chart:
    """The rules chart from the page's counts, dressed as the registry does."""
    result = rules_chart_of(counts)
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
