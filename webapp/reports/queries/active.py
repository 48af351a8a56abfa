"""Queries of the drill-down from "Active learners": who was active on one day, in scope."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import LearnerDay, User
from webapp.reports.filters import ReportFilter
from webapp.reports.queries.common import Context, Row
from webapp.reports.queries.people import labels


def active_on(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (learner id, learner, sessions, minutes, focus score sum, sessions with focus, quizzes
    submitted) of the learners in scope active on the context's day, by name."""
    ld = LearnerDay
    query = (
        select(
            ld.user_id,
            User.display_name,
            ld.sessions,
            ld.learning_minutes,
            ld.focus_score_sum,
            ld.focus_sessions,
            ld.quiz_attempts,
        )
        .join(User, User.id == ld.user_id)
        .where(ld.day == ctx["day"], ld.is_active, flt.scope.restrict(ld.user_id))
        .order_by(User.display_name, ld.user_id)
    )
    rows = session.execute(query).all()
    names = labels(session, {(r.user_id, r.display_name) for r in rows})
    return [
        (
            r.user_id,
            names[r.user_id],
            r.sessions,
            float(r.learning_minutes),
            float(r.focus_score_sum),
            r.focus_sessions,
            r.quiz_attempts,
        )
        for r in rows
    ]
