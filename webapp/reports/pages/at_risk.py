"""The at-risk report: who is flagged as of the range's end and why; how many over the range.

The table lists the flags of the latest evaluation up to the end of the range (sortable,
100 a page; the CSV has them all); the charts count over the whole range: learners flagged
per evaluated day, and learners each rule flagged on any day of it.
"""

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.i18n import N_, lazy_tr, tr
from webapp.reports.charts import Chart, Column, bar, line, table
from webapp.reports.definitions import EMPTY, as_of, define, plural
from webapp.reports.filters import ReportFilter
from webapp.reports.labels import detail_text
from webapp.reports.queries import risk as q
from webapp.reports.queries.common import Context, Row
from webapp.reports.registry import Report, register
from webapp.services.analytics.risk import RULES

# How each rule's compared figure reads (see LearnerRiskFlag.value).
FIGURE_FORMATS = {
    "went_quiet": N_("{:.0f} days idle"),  # 7 days or more
    "minutes_down": "{:+.0f}%",
    "focus_down": "{:+.0f}%",
    "streak_broken": N_("{:.0f}-day streak"),
    "low_mastery": N_("mastery {:.2f}"),
}
COLUMNS = (
    Column("learner_id", lazy_tr("Learner id"), hidden=True),
    Column("learner", lazy_tr("Learner"), kind="learner", link="learner_id"),
    Column("rule", lazy_tr("Rule"), hidden=True),
    Column("rule_title", lazy_tr("Rule that fired")),
    Column("value", lazy_tr("Value"), hidden=True),
    Column("figure", lazy_tr("Figure")),
    Column("detail", lazy_tr("Detail")),
    Column("as_of", lazy_tr("As of"), hidden=True),
)


def figure_text(rule: str, value: float | None) -> str:
    """Return the figure a rule compared, in words ("-43%", "8 days idle", "mastery 0.32")."""
    if value is None:
        return "-"
    return tr(FIGURE_FORMATS.get(rule, "{:g}")).format(value)


def page_number(raw: str | None) -> int:
    """A page number from the URL: a positive integer, anything else is page 1."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def load(session: Session, flt: ReportFilter, raw: str | None, args: MultiDict) -> Context:
    """The table's sort and page, from the URL."""
    sort, desc = q.parse_sort(args.get("sort"))
    page = page_number(args.get("page"))
    return {
        "sort": sort,
        "desc": desc,
        "page": page,
        "cache_key": f"{sort}:{desc}:{page}",
        "url_args": {"sort": ("-" if desc else "") + sort},
        "rules": RULES,
    }


REPORT = register(
    Report(
        "at-risk",
        lazy_tr("Learners at risk"),
        "reports/at_risk.html",
        nav=5,
        label=lazy_tr("At risk"),
        load=load,
    )
)


def title_of(rule: str) -> str:
    """The title of a rule in the request's language (its key when it is not documented)."""
    return tr(RULES.get(rule, (rule, ""))[0])


@REPORT.figure("table", q.flagged_on)
def flags_table(data: dict, flt: ReportFilter, ctx: Context) -> Chart:
    """The learners flagged as of the range's end, one row per fired rule, with its figure and detail."""
    data = data or {}  # nothing at all for a scope that holds nobody
    day = data.get("as_of")
    rows = [
        (uid, name, rule, title_of(rule), value, figure_text(rule, value), detail_text(rule, detail), day)
        for uid, name, rule, value, detail in data.get("rows", [])
    ]
    total = data.get("total", 0)
    pages = max(1, -(-total // q.PAGE_SIZE))
    page = min(ctx.get("page", 1), pages)
    return table(
        "table",
        plural("flags", total),
        COLUMNS,
        rows,
        note=as_of(day),
        definition=define("at_risk"),
        empty_message=EMPTY["no_flags"] if day else EMPTY["not_evaluated"],
        extra={
            "total": total,
            "page": page,
            "pages": pages,
            "first": (page - 1) * q.PAGE_SIZE + 1,
            "sort": ctx.get("sort"),
            "desc": ctx.get("desc"),
        },
    )


@REPORT.figure("trend", q.series)
def trend_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Learners flagged by any rule, per evaluated day of the range."""
    return Chart(
        id="trend",
        title=tr("Learners at risk per day"),
        header=["as_of", "learners_at_risk"],
        rows=rows,
        traces=[line(rows, 0, 1, tr("Learners at risk"), tr("as of %{x}<br>%{y:,} learners at risk"))],
        x_title=tr("Day"),
        y_title=tr("Learners"),
        height=260,
        definition=define("at_risk"),
        layout={"yaxis": {"rangemode": "tozero"}},
        empty_message=EMPTY["not_evaluated"],
    )


@REPORT.figure("rules", q.rule_counts)
def rules_chart(counts: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """How many learners each documented rule flagged on any evaluated day of the range."""
    rows = [(rule, title_of(rule), n) for rule, n in counts] if any(n for _, n in counts) else []
    most = max((n for _, _, n in rows), default=0)
    return Chart(
        id="rules",
        title=tr("Learners flagged over the range, by rule"),
        header=["rule", "rule_title", "learners"],
        rows=rows,
        traces=[bar(rows, 2, 1, tr("Learners"), tr("%{y}<br>%{x:,} learners flagged"), orientation="h")],
        x_title=tr("Learners"),
        y_title=tr("Rule"),
        height=280,
        definition=define("at_risk"),
        empty_message=EMPTY["none_in_range"],
        # Whole learners only: one tick per learner while there are few of them.
        layout={
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"rangemode": "tozero", **({"dtick": 1} if most <= 10 else {})},
        },
    )
