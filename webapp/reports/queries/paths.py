"""A learner's learning paths: enrolment and progress, as the platform's apps last reported them."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import LearningPath, PathEnrolment, PathModule
from webapp.reports.filters import ReportFilter
from webapp.reports.queries.common import Context, Row


def learning_paths(session: Session, flt: ReportFilter, ctx: Context) -> list[Row]:
    """Rows (path, subject, status, modules done, modules in the path, current module, enrolled,
    last active, completed) of the learner's enrolments, most recently active first."""
    modules = select(PathModule.path_id, func.count().label("total")).group_by(PathModule.path_id).subquery()
    current = PathModule.__table__.alias("current_module")
    query = (
        select(
            LearningPath.name, LearningPath.subject, PathEnrolment.status, PathEnrolment.modules_completed,
            func.coalesce(modules.c.total, 0), current.c.title, PathEnrolment.enrolled_at,
            PathEnrolment.last_activity_at, PathEnrolment.completed_at,
        )
        .join(LearningPath, LearningPath.id == PathEnrolment.path_id)
        .outerjoin(modules, modules.c.path_id == PathEnrolment.path_id)
        .outerjoin(current, current.c.id == PathEnrolment.current_module_id)
        .where(PathEnrolment.user_id == ctx["learner"]["id"])
        .order_by(func.coalesce(PathEnrolment.last_activity_at, PathEnrolment.enrolled_at).desc())
    )  # fmt: skip
    return [tuple(row) for row in session.execute(query)]


def progress(done: int, total: int) -> int | None:
    """Progress in percent: modules done over the path's modules (None for a path without modules)."""
    return round(100 * min(done, total) / total) if total else None
