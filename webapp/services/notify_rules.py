"""When the scheduled triggers fire (services/notify.py creates the rows).

Local time decides: learners are grouped by time zone, and a zone's learners are
looked at only when its clock has reached the trigger's hour.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import ChangeMark, Duel, StreakActivity, User, UserStreak
from webapp.models.core.enums import DuelStatus
from webapp.services import marks
from webapp.services.analytics.asof import learner_zones
from webapp.services.notify import Event, local_midnight_after
from webapp.services.timezones import learner_zone

EVENING_HOUR = 19  # streak at risk: from 19:00 learner-local time
WEEKLY_HOUR = 8  # weekly summary: Monday from 08:00 learner-local time
DUEL_WINDOW = timedelta(days=3)  # duels created longer ago were notified or have expired


def _zones(session: Session) -> dict[str, object]:
    return {name: learner_zone(name) for name in learner_zones(session)}


def streaks_at_risk(session: Session, now: datetime) -> list[Event]:
    """Learners whose evening has come with a running streak and no activity yet today."""
    events = []
    for name, zone in _zones(session).items():
        local = now.astimezone(zone)
        if local.time() < time(EVENING_HOUR):
            continue
        today = local.date()
        query = (
            select(UserStreak.user_id, UserStreak.current_length)
            .join(User, User.id == UserStreak.user_id)
            .where(User.timezone == name, User.is_active, UserStreak.current_length > 0)
            .where(UserStreak.last_active_on == today - timedelta(days=1))
        )
        found = dict(session.execute(query).tuples().all())
        busy = _active_today(session, list(found), today)
        expires = local_midnight_after(now, zone)
        events += [
            Event(u, "streak_reminder", f"streak_at_risk:{u}:{today}", {"streak_days": n, "days": n}, expires)
            for u, n in sorted(found.items())
            if u not in busy
        ]
    return events


def _active_today(session: Session, ids: list[int], today: date) -> set[int]:
    """Learners with activity today: counted already, or marked and waiting for the engine."""
    busy: set[int] = set()
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        days = select(StreakActivity.user_id).where(
            StreakActivity.user_id.in_(chunk), StreakActivity.day == today
        )
        marked = select(ChangeMark.user_id).where(
            ChangeMark.consumer == marks.ENGINE, ChangeMark.user_id.in_(chunk), ChangeMark.day == today
        )
        busy.update(session.scalars(days.union(marked)))
    return busy


def duels_received(session: Session, now: datetime) -> list[Event]:
    """Opponents of pending duels that have not expired."""
    query = select(Duel.id, Duel.opponent_id, Duel.expires_at).where(
        Duel.status == DuelStatus.PENDING, Duel.created_at >= now - DUEL_WINDOW,
        (Duel.expires_at.is_(None)) | (Duel.expires_at > now),
    )  # fmt: skip
    return [Event(opponent, "duel_challenge", f"duel_received:{duel_id}", {}, expires)
            for duel_id, opponent, expires in session.execute(query)]  # fmt: skip


def weekly_summaries(session: Session, now: datetime) -> list[Event]:
    """Learners whose Monday 08:00 has come, who were active in the week before."""
    events = []
    for name, zone in _zones(session).items():
        local = now.astimezone(zone)
        if local.weekday() != 0 or local.time() < time(WEEKLY_HOUR):
            continue
        monday = local.date()
        query = (
            select(StreakActivity.user_id)
            .join(User, User.id == StreakActivity.user_id)
            .where(User.timezone == name, User.is_active)
            .where(StreakActivity.day >= monday - timedelta(days=7), StreakActivity.day < monday)
            .distinct()
        )
        expires = local_midnight_after(now, zone)
        events += [Event(u, "weekly_summary", f"weekly_summary:{u}:{monday}", {}, expires)
                   for u in sorted(session.scalars(query))]  # fmt: skip
    return events
