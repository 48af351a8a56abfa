"""Daily streaks in each learner's own timezone, with Duolingo-style freezes and milestones.

The rules, over the learner's local calendar:
- a day is active when the learner completes a learning session (its end, or its start if it
  has none) or submits a quiz attempt during that local day;
- an active day extends the streak by one; the streak starts on its first active day;
- a missed day (any past day without activity) uses one equipped freeze if the streak is
  running: the streak keeps its length but does not grow; with no freeze left it breaks (0);
- today is never "missed": the learner still has until local midnight;
- a learner holds at most MAX_FREEZES; a freeze acquired while full is wasted (expired);
  a freeze acquired on a day can cover that same day; the oldest equipped one is used first.
- reaching N days for the first time awards each active StreakMilestone of N days: its points
  (key `milestone:<N>:<user id>`) and its badge, once, however often the streak restarts.
"""

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from webapp.models import LearningSession, QuizAttempt, StreakActivity, StreakFreeze, StreakMilestone, User
from webapp.models import UserStreak as UserStreakModel
from webapp.models.core.enums import FreezeStatus, PointsReason, StreakSource
from webapp.models.core.mixins import utcnow
from webapp.services.badges import grant_badges
from webapp.services.points import insert_ledger_rows, learner_chunks, write_changes
from webapp.services.timezones import learner_zone

MAX_FREEZES = 2
ONE_DAY = timedelta(days=1)
ACTIVITIES = StreakActivity.__table__
STREAKS = UserStreakModel.__table__
FREEZES = StreakFreeze.__table__

FreezeOutcome = tuple[FreezeStatus, date | None]
Progress = Callable[[str, int, int], None] | None


@dataclass(frozen=True)
class StreakState:
    """The result of replaying a learner's calendar up to today."""

    current: int = 0
    longest: int = 0
    started_on: date | None = None
    last_active_on: date | None = None
    freezes_equipped: int = 0
    freeze_days_used: tuple[date, ...] = ()
    # One outcome per freeze grant, in the order given: (status, used_on).
    freeze_outcomes: tuple[FreezeOutcome, ...] = ()
    # reached_on[n - 1] is the day the streak first reached n days.
    reached_on: tuple[date, ...] = ()


@dataclass
class _Walk:
    grants: Sequence[date]
    next_grant: int = 0
    equipped: deque = field(default_factory=deque)
    outcomes: list = field(default_factory=list)
    current: int = 0
    longest: int = 0
    started_on: date | None = None
    used: list = field(default_factory=list)
    reached: list = field(default_factory=list)

    def take_grants(self, upto: date) -> None:
        while self.next_grant < len(self.grants) and self.grants[self.next_grant] <= upto:
            if len(self.equipped) < MAX_FREEZES:
                self.equipped.append(self.next_grant)
                self.outcomes.append((FreezeStatus.EQUIPPED, None))
            else:
                self.outcomes.append((FreezeStatus.EXPIRED, None))
            self.next_grant += 1

    def active(self, day: date) -> None:
        self.take_grants(day)
        if self.current == 0:
            self.started_on = day
        self.current += 1
        if self.current > self.longest:
            self.longest = self.current
            self.reached.append(day)

    def missed(self, first: date, last: date) -> None:
        day = first
        while day <= last and self.current > 0:  # once broken, the rest of the gap changes nothing
            self.take_grants(day)
            if self.equipped:
                self.outcomes[self.equipped.popleft()] = (FreezeStatus.USED, day)
                self.used.append(day)
            else:
                self.current, self.started_on = 0, None
            day += ONE_DAY


def compute_streak(active_days: Iterable[date], freeze_grants: Sequence[date], today: date) -> StreakState:
    """Replay sorted active local days and sorted freeze grant days up to today into a streak state."""
    days = sorted({d for d in active_days if d <= today})
    walk = _Walk(grants=[min(g, today) for g in freeze_grants])
    previous = None
    for day in days:
        if previous is not None:
            walk.missed(previous + ONE_DAY, day - ONE_DAY)
        walk.active(day)
        previous = day
    if previous is not None:
        walk.missed(previous + ONE_DAY, today - ONE_DAY)
    walk.take_grants(today)
    return StreakState(
        current=walk.current,
        longest=walk.longest,
        started_on=walk.started_on,
        last_active_on=days[-1] if days else None,
        freezes_equipped=len(walk.equipped),
        freeze_days_used=tuple(walk.used),
        freeze_outcomes=tuple(walk.outcomes),
        reached_on=tuple(walk.reached),
    )


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """Return the learner's local calendar day of an aware UTC moment."""
    return moment.astimezone(zone).date()


# reading the calendar ----------------------------------------------------------------------


def _activity_days(session: Session, ids: list[int]) -> dict[int, dict[date, StreakSource]]:
    """Return each learner's active local days and their source (a session beats a quiz)."""
    ls, qa = LearningSession, QuizAttempt
    done_at = func.coalesce(ls.ended_at, ls.started_at)
    sessions = select(ls.user_id, User.timezone, done_at.label("at"), literal("session").label("src"))
    sessions = sessions.join(User, User.id == ls.user_id).where(
        ls.user_id.in_(ids), ls.is_completed.is_(True)
    )
    quizzes = select(qa.user_id, User.timezone, qa.submitted_at, literal("quiz"))
    quizzes = quizzes.join(User, User.id == qa.user_id).where(
        qa.user_id.in_(ids), qa.submitted_at.is_not(None)
    )
    result: dict[int, dict[date, StreakSource]] = {}
    if session.get_bind().dialect.name == "postgresql":
        both = union_all(sessions, quizzes).subquery()
        day = cast(func.timezone(both.c.timezone, both.c.at), Date)
        query = select(both.c.user_id, day, func.max(both.c.src)).group_by(both.c.user_id, day)
        for user_id, on, src in session.execute(query):
            result.setdefault(user_id, {})[on] = StreakSource(src)
        return result
    for query in (sessions, quizzes):  # SQLite has no time zones: convert in Python
        for user_id, tz, at, src in session.execute(query):
            days = result.setdefault(user_id, {})
            on = local_day(at, learner_zone(tz))
            if days.get(on) != StreakSource.SESSION:
                days[on] = StreakSource(src)
    return result


def _freezes(session: Session, ids: list[int]) -> dict[int, list[tuple]]:
    query = (
        select(FREEZES.c.id, FREEZES.c.user_id, FREEZES.c.acquired_at, FREEZES.c.status, FREEZES.c.used_on)
        .where(FREEZES.c.user_id.in_(ids))
        .order_by(FREEZES.c.user_id, FREEZES.c.acquired_at, FREEZES.c.id)
    )
    result: dict[int, list[tuple]] = {}
    for row in session.execute(query):
        result.setdefault(row.user_id, []).append(tuple(row))
    return result


# writing the derived state -----------------------------------------------------------------


def _write_activities(session: Session, ids: list[int], days: dict[int, dict[date, StreakSource]]) -> int:
    cols = ACTIVITIES.c
    query = select(cols.id, cols.user_id, cols.day, cols.source).where(cols.user_id.in_(ids))
    existing, ids_by_key = {}, {}
    for row_id, user_id, day, source in session.execute(query):
        existing[(user_id, day)] = (source,)
        ids_by_key[(user_id, day)] = row_id
    rows = [{"user_id": u, "day": d, "source": s} for u in ids for d, s in sorted(days.get(u, {}).items())]
    written = write_changes(session, ACTIVITIES, ["user_id", "day"], rows, existing)
    stale = [ids_by_key[key] for key in existing if key[1] not in days.get(key[0], {})]
    if stale:
        session.execute(ACTIVITIES.delete().where(cols.id.in_(stale)))
    return written + len(stale)


def _write_freezes(session: Session, freezes: list[tuple], outcomes: Sequence[FreezeOutcome]) -> int:
    existing = {(f[0],): (f[3], f[4]) for f in freezes}
    rows = [{"id": f[0], "status": s, "used_on": on} for f, (s, on) in zip(freezes, outcomes, strict=True)]
    return write_changes(session, FREEZES, ["id"], rows, existing)


def _streak_row(user_id: int, state: StreakState) -> dict:
    return {
        "user_id": user_id,
        "current_length": state.current,
        "longest_length": state.longest,
        "started_on": state.started_on,
        "last_active_on": state.last_active_on,
        "freezes_equipped": state.freezes_equipped,
    }


def _milestone_stamp(day: date, zone: ZoneInfo) -> datetime:
    """Local noon of the day a milestone was reached, in UTC, never in the future."""
    return min(datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC), utcnow())


def _milestone_awards(
    user_id: int, state: StreakState, zone: ZoneInfo, milestones: list
) -> tuple[list, list]:
    points, badges = [], []
    for days, milestone_id, amount, badge_id in milestones:
        if days > state.longest:
            break
        at = _milestone_stamp(state.reached_on[days - 1], zone)
        if amount:
            points.append({
                "user_id": user_id, "amount": amount, "reason": PointsReason.STREAK_MILESTONE,
                "source_type": "streak_milestone", "source_id": str(milestone_id),
                "idempotency_key": f"milestone:{days}:{user_id}", "created_at": at,
            })  # fmt: skip
        if badge_id:
            badges.append(
                {
                    "user_id": user_id,
                    "badge_id": badge_id,
                    "awarded_at": at,
                    "awarded_via": f"milestone:{days}",
                }
            )
    return points, badges


def _rebuild_chunk(session: Session, ids: list[int], today: date | None, milestones: list) -> dict[str, int]:
    zones = dict(session.execute(select(User.id, User.timezone).where(User.id.in_(ids))).all())
    days = _activity_days(session, ids)
    freezes = _freezes(session, ids)
    cols = STREAKS.c
    query = select(*cols).where(cols.user_id.in_(ids))
    existing = {(r.user_id,): tuple(r)[1:6] for r in session.execute(query)}
    counts = {"streak_days": _write_activities(session, ids, days), "streak_freezes": 0}
    rows, points, badges = [], [], []
    for user_id in ids:
        zone = learner_zone(zones[user_id])
        own = freezes.get(user_id, [])
        grants = [local_day(f[2], zone) for f in own]
        state = compute_streak(days.get(user_id, {}), grants, today or datetime.now(zone).date())
        rows.append(_streak_row(user_id, state))
        counts["streak_freezes"] += _write_freezes(session, own, state.freeze_outcomes)
        more_points, more_badges = _milestone_awards(user_id, state, zone, milestones)
        points += more_points
        badges += more_badges
    counts["streaks"] = write_changes(session, STREAKS, ["user_id"], rows, existing)
    counts["milestone_points"] = insert_ledger_rows(session, points)
    counts["milestone_badges"] = grant_badges(session, badges)
    return counts


def rebuild_streaks(
    session: Session,
    user_ids: Iterable[int] | None = None,
    today: date | None = None,
    progress: Progress = None,
) -> dict[str, int]:
    """Rebuild active days, streaks, freeze usage and milestone awards; return rows changed per kind."""
    query = select(StreakMilestone.days, StreakMilestone.id, StreakMilestone.points, StreakMilestone.badge_id)
    milestones = [tuple(m) for m in session.execute(query.where(StreakMilestone.is_active).order_by("days"))]
    chunks = list(learner_chunks(session, user_ids))
    totals: dict[str, int] = {}
    for done, ids in enumerate(chunks, 1):
        for kind, n in _rebuild_chunk(session, ids, today, milestones).items():
            totals[kind] = totals.get(kind, 0) + n
        if progress:
            progress("streaks", done, len(chunks))
    return totals
