"""Correcting a learner's time zone after the fact: their rows' stored local days, redone.

Rows keep the local day they were written with: when a learner moves, the days they lived
stay theirs. When a learner's zone was simply wrong (entered by mistake), `relocalise()`
works every stored local day and hour out again with their current zone (by the same rule,
`webapp.services.timezones`) and marks the days that moved, old and new, for the jobs.
"""

from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from webapp.models import (
    AttentionSpan,
    BehaviorEvent,
    LearningSession,
    PointsTransaction,
    QuizAttempt,
    SessionEvent,
    User,
    UserBadge,
)
from webapp.services import marks
from webapp.services.timezones import LocalClock

TABLES = (
    LearningSession,
    SessionEvent,
    AttentionSpan,
    QuizAttempt,
    BehaviorEvent,
    PointsTransaction,
    UserBadge,
)


def relocalise(session: Session, user_id: int) -> int:
    """Redo the stored local days and hours of a learner's rows with their current zone; return rows moved."""
    timezone = session.scalar(select(User.timezone).where(User.id == user_id))
    clock, moved, days = LocalClock(), 0, set()
    for model in TABLES:
        changes = []
        sources = [model.__table__.c[name] for name in model.local_time_fields()]
        query = select(model.id, model.local_day, model.local_hour, *sources).where(model.user_id == user_id)
        for row_id, day, hour, *moments in session.execute(query):
            # The last of the fields that is set: a quiz's submission, else its start.
            moment = next((m for m in reversed(moments) if m is not None), None)
            if moment is None:
                continue
            new_day, new_hour = clock.at(moment, timezone)
            if (new_day, new_hour) != (day, hour):
                changes.append({"b_id": row_id, "local_day": new_day, "local_hour": new_hour})
                days |= {day, new_day}
        if changes:
            table = model.__table__
            stmt = update(table).where(table.c.id == bindparam("b_id"))
            session.execute(
                stmt.values(local_day=bindparam("local_day"), local_hour=bindparam("local_hour")), changes
            )
            moved += len(changes)
    marks.mark(session, [(user_id, day) for day in sorted(days, key=date.toordinal)])
    return moved
