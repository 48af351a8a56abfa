"""A learner's learning paths: enrolment and progress, as the platform's apps last reported them."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import LearningPath, PathEnrolment, PathModule

# Shown beside the figure on the learner page.
PROGRESS_DEFINITION = "modules completed / modules in the path, as reported by the learner app"


def learning_paths(session: Session, learner_id: int) -> list[dict]:
    """Return the learner's enrolments, most recently active first, with progress in percent."""
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
        .where(PathEnrolment.user_id == learner_id)
        .order_by(func.coalesce(PathEnrolment.last_activity_at, PathEnrolment.enrolled_at).desc())
    )  # fmt: skip
    return [_row(*values) for values in session.execute(query)]


def _row(
    name, subject, status, done: int, total: int, current, enrolled: datetime, active, completed
) -> dict:
    percent = round(100 * min(done, total) / total) if total else None
    return {"path": name, "subject": subject, "status": status.value.replace("_", " "), "done": done,
            "total": total, "percent": percent, "current": current, "enrolled_on": enrolled.date(),
            "last_active_on": active.date() if active else None,
            "completed_on": completed.date() if completed else None}  # fmt: skip
