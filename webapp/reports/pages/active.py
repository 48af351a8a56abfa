"""The learners active on one day, in the filter's scope: the drill-down of "Active learners".

Reached by a click on a day of an "Active learners" chart (or the form beside it):
/reports/active/<day>, with the filter of the page it came from.
"""

from datetime import date

from flask import abort
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.i18n import N_, day_text, lazy_tr, tr
from webapp.reports.charts import Chart, Column, table
from webapp.reports.definitions import EMPTY, define
from webapp.reports.filters import ReportFilter
from webapp.reports.queries import active as q
from webapp.reports.queries.common import Context, Row, ratio
from webapp.reports.registry import Report, register

COLUMNS = (
    Column("learner_id", lazy_tr("Learner id"), hidden=True),
    Column("learner", lazy_tr("Learner"), kind="learner", link="learner_id"),
    Column("sessions", lazy_tr("Sessions"), kind="number"),
    Column("minutes", lazy_tr("Minutes"), kind="number", digits=1),
    Column("avg_focus_score", lazy_tr("Average focus"), kind="number", digits=1),
    Column("sessions_with_focus", lazy_tr("Sessions with a focus score"), kind="number"),
    Column("quizzes_submitted", lazy_tr("Quizzes submitted"), kind="number"),
)
TITLE = N_("Learners active on {day}")


def load(session: Session, flt: ReportFilter, raw: str | None, args: MultiDict) -> Context:
    """The day of the URL (/reports/active/<day>, or ?day= from the form); anything else is a 404."""
    try:
        day = date.fromisoformat(raw or args.get("day", ""))
    except ValueError:
        abort(404)
    return {"day": day, "cache_key": day.isoformat(), "url_context": day.isoformat()}


REPORT = register(
    Report(
        "active",
        lazy_tr("Active learners on a day"),
        "reports/active.html",
        load=load,
        saveable=False,
        url_context="optional",
    )
)


@REPORT.figure("learners", q.active_on)
def active_table(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Each learner active that day, with the day's sessions, minutes, focus and quizzes."""
    cells = [
        (uid, name, n, round(m, 1), _round(ratio(fs, fn)), fn, quizzes)
        for uid, name, n, m, fs, fn, quizzes in rows
    ]
    return table(
        "learners",
        tr(TITLE).format(day=day_text(ctx["day"])),
        COLUMNS,
        cells,
        width="full",
        definition=define("active", "focus_score"),
        empty_message=EMPTY["day_to_come"] if _to_come(ctx["day"], flt) else EMPTY["nobody_active"],
    )


def _to_come(day: date, flt: ReportFilter) -> bool:
    """Whether the day has not begun yet for any learner."""
    return flt.latest is not None and day > flt.latest


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
