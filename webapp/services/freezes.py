"""Streak freezes that a running streak earns.

The rule: each 7th day of a running streak (7, 14, 21, ...) earns one freeze
(origin "earned"), granted once for the day the streak reached that length, and
only while the learner holds fewer than MAX_FREEZES: a full learner earns nothing,
so an earned freeze is never wasted. The freeze is equipped from the day it is
granted (see services/streaks.py for how freezes are used).
"""

from datetime import UTC, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import StreakFreeze, User, UserStreak
from webapp.models.core.enums import FreezeOrigin, FreezeStatus
from webapp.models.core.mixins import utcnow
from webapp.services.points import bulk_insert
from webapp.services.streaks import MAX_FREEZES, rebuild_streaks
from webapp.services.timezones import learner_zone

EARN_EVERY = 7


def _candidates(session: Session) -> list[tuple[int, datetime]]:
    """Return (learner, local start of the day reached) of streaks at a multiple of 7 with room."""
    s = UserStreak
    query = (
        select(s.user_id, s.last_active_on, User.timezone)
        .join(User, User.id == s.user_id)
        .where(s.current_length > 0, s.current_length % EARN_EVERY == 0, s.freezes_equipped < MAX_FREEZES)
        .where(s.last_active_on.is_not(None))
    )
    return [
        (user_id, datetime.combine(day, time(), tzinfo=learner_zone(tz)).astimezone(UTC))
        for user_id, day, tz in session.execute(query)
    ]


def grant_earned(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Grant the freezes running streaks earned and update those streaks; return counts."""
    now = now or utcnow()
    candidates = _candidates(session)
    if not candidates:
        return {"candidates": 0, "freezes_granted": 0}
    ids = [user_id for user_id, _ in candidates]
    latest = dict(
        session.execute(
            select(StreakFreeze.user_id, func.max(StreakFreeze.acquired_at))
            .where(StreakFreeze.user_id.in_(ids), StreakFreeze.origin == FreezeOrigin.EARNED)
            .group_by(StreakFreeze.user_id)
        ).all()
    )
    due = [
        user_id for user_id, reached in candidates if latest.get(user_id) is None or latest[user_id] < reached
    ]
    rows = [{"user_id": u, "origin": FreezeOrigin.EARNED, "status": FreezeStatus.EQUIPPED, "acquired_at": now}
            for u in due]  # fmt: skip
    bulk_insert(session, StreakFreeze.__table__, rows)
    streaks = rebuild_streaks(session, due) if due else {}
    return {"candidates": len(candidates), "freezes_granted": len(due), "streaks": streaks.get("streaks", 0)}
