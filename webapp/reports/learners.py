"""One learner's page: streak calendar, points and badges, mastery, quizzes, focus, profile, risk.

Only a learner the signed-in user may see is shown (teachers: learners of their
groups); anything else, including an id that is not a learner's, is a 404.
"""

import dataclasses
from collections.abc import Callable

from flask import abort, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from webapp.auth.access import can_see_learner
from webapp.extensions import db
from webapp.reports import bp
from webapp.reports import learner_charts as lc
from webapp.reports import learner_queries as q
from webapp.reports.charts import Chart, csv_response
from webapp.reports.filters import ReportFilter
from webapp.reports.learner_paths import PROGRESS_DEFINITION, learning_paths
from webapp.reports.views import current_filter


def visible_learner(session: Session, learner_id: int) -> dict:
    """Return the learner, or abort 404 when there is none or the user may not see them."""
    found = q.learner(session, learner_id)
    if found is None or not can_see_learner(session, current_user, learner_id):
        abort(404)
    return found


BUILDERS: dict[str, Callable[[Session, dict, ReportFilter], Chart]] = {
    "calendar": lambda s, p, flt: lc.calendar_chart(
        lc.calendar_rows(q.streak_days(s, p["id"], flt.end), flt.end)
    ),
    "mastery": lambda s, p, flt: lc.mastery_chart(q.masteries(s, p["id"])),
    "quizzes": lambda s, p, flt: lc.quiz_chart(q.quiz_history(s, p["id"], p["timezone"], flt.start, flt.end)),
    "focus": lambda s, p, flt: lc.focus_chart(q.focus_trend(s, p["id"], flt.start, flt.end)),
}


def build_chart(session: Session, person: dict, flt: ReportFilter, name: str) -> Chart:
    """Build one chart of the page for the filter's date range, with its CSV link."""
    chart = BUILDERS[name](session, person, flt)
    chart.id = f"learner-{name}"
    chart.csv_url = url_for("reports.learner_csv", learner_id=person["id"], chart=name, **flt.to_args())
    return chart


@bp.get("/reports/learners/<int(max=2147483647):learner_id>")
def learner(learner_id: int):
    """One learner's page."""
    flt = current_filter()
    person = visible_learner(db.session, learner_id)
    as_of, risks = q.risk_reasons(db.session, learner_id)
    charts = {name: build_chart(db.session, person, flt, name) for name in BUILDERS}
    return render_template(
        "reports/learner.html", flt=_without_groups(flt), report_key="learner",
        save_report=False, person=person, charts=charts,
        totals=q.points_and_streak(db.session, learner_id), badges=q.badges(db.session, learner_id),
        profile=q.engagement_profile(db.session, learner_id), risk_as_of=as_of, risks=risks,
        paths=learning_paths(db.session, learner_id), progress_definition=PROGRESS_DEFINITION,
    )  # fmt: skip


def _without_groups(flt: ReportFilter) -> ReportFilter:
    """The filter as the page's filter bar shows it: dates only (a learner's page has no group)."""
    return dataclasses.replace(flt, group_id=None, group_choices=(), no_groups=True)


@bp.get("/reports/learners/<int(max=2147483647):learner_id>/<chart>.csv")
def learner_csv(learner_id: int, chart: str):
    """One chart of a learner's page as CSV, for the same date range."""
    flt = current_filter()
    person = visible_learner(db.session, learner_id)
    if chart not in BUILDERS:
        abort(404)
    result = build_chart(db.session, person, flt, chart)
    name = f"learner-{learner_id}-{chart}-{flt.end.isoformat()}.csv"
    return csv_response(name, result.header, result.rows)
