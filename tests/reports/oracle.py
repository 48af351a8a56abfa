"""Every figure of the reports recomputed in plain Python from the raw rows of a dataset.

Never from the rollup tables, the derived streak tables or SkillMastery: the tests compare
two independent computations. Local days come from zoneinfo; quiz attempts count once
submitted, on the local day of submission; the at-risk rules are read from their text, with
the app's own streak and mastery rules (`compute_streak`, `fold_attempts`) as the only shared code.
"""

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from webapp.models import (
    AttentionSpan,
    FocusMetrics,
    GroupMember,
    LearningSession,
    PointsTransaction,
    QuizAttempt,
    StreakFreeze,
    User,
    UserBadge,
)
from webapp.models.core.enums import GroupRole, Role
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS, bucket_of
from webapp.services.mastery import fold_attempts
from webapp.services.streaks import compute_streak


def _local(ts: datetime, tz: str) -> datetime:
    return ts.astimezone(ZoneInfo(tz))


class Oracle:
    """Every rollup figure and every at-risk flag, recomputed from the raw rows."""

    def __init__(self, s: Session, streaks_today: date) -> None:
        """Read the raw rows; the streak engine last ran with streaks_today as its today."""
        self.streaks_today = streaks_today
        self.tz = {u.id: u.timezone for u in s.query(User).filter(User.role == Role.LEARNER)}
        self.scopes: dict[int, list[str]] = defaultdict(lambda: ["all"])
        for m in s.query(GroupMember).filter(GroupMember.role == GroupRole.MEMBER):
            self.scopes[m.user_id] = [*self.scopes[m.user_id], f"group:{m.group_id}"]
        self._sessions(s)
        self.spans = [
            {"user": a.user_id, "day": _local(a.started_at, self.tz[a.user_id]).date(),
             "seconds": a.focus_seconds, "interruptions": a.interruptions}
            for a in s.query(AttentionSpan)
        ]  # fmt: skip
        self.quizzes = [
            {"user": q.user_id, "day": _local(q.submitted_at, self.tz[q.user_id]).date(),
             "at": q.submitted_at, "id": q.id, "pct": 100 * q.score / q.max_score, "skill": q.skill_id,
             "score": q.score, "max": q.max_score, "difficulty": q.difficulty}
            for q in s.query(QuizAttempt) if q.submitted_at is not None
        ]  # fmt: skip
        self.points = [
            {"user": p.user_id, "day": _local(p.created_at, self.tz[p.user_id]).date(),
             "amount": p.amount, "reason": p.reason.value}
            for p in s.query(PointsTransaction)
        ]  # fmt: skip
        self.badges = [
            {"user": b.user_id, "day": _local(b.awarded_at, self.tz[b.user_id]).date()}
            for b in s.query(UserBadge)
        ]
        self.grants: dict[int, list[date]] = defaultdict(list)
        for z in s.query(StreakFreeze).order_by(StreakFreeze.acquired_at, StreakFreeze.id):
            self.grants[z.user_id].append(_local(z.acquired_at, self.tz[z.user_id]).date())
        self.active = {(r["user"], r["day"]) for r in self.sessions + self.quizzes}

    def _sessions(self, s: Session) -> None:
        focus = {fm.session_id: fm.focus_score for fm in s.query(FocusMetrics)}
        self.sessions = []
        self.streak_active: dict[int, set[date]] = defaultdict(set)
        for row in s.query(LearningSession):
            tz = self.tz[row.user_id]
            local = _local(row.started_at, tz)
            self.sessions.append({
                "user": row.user_id, "day": local.date(), "hour": local.hour,
                "minutes": (row.duration_seconds or 0) / 60, "focus": focus.get(row.id),
                "content_type": row.content_type.value,
            })  # fmt: skip
            if row.is_completed:  # a streak day: a completed session, on the day it ended
                self.streak_active[row.user_id].add(_local(row.ended_at or row.started_at, tz).date())
        for q in s.query(QuizAttempt).filter(QuizAttempt.submitted_at.is_not(None)):
            self.streak_active[q.user_id].add(_local(q.submitted_at, self.tz[q.user_id]).date())

    # Rollups -----------------------------------------------------------------------------

    def in_scope(self, rows: list[dict], day: date, scope: str) -> list[dict]:
        """The rows of a day whose learner counts in a scope."""
        return [r for r in rows if r["day"] == day and scope in self.scopes[r["user"]]]

    def actives(self, day: date, scope: str, window: int) -> int:
        """Distinct learners of a scope active in the window of days ending on day."""
        first = day - timedelta(days=window - 1)
        return len({u for u, d in self.active if first <= d <= day and scope in self.scopes[u]})

    def active_on(self, day: date, scope: str) -> set[int]:
        """The learners of a scope active on day."""
        return {u for u, d in self.active if d == day and scope in self.scopes[u]}

    def new_learners(self, day: date, scope: str) -> int:
        """Learners of a scope whose first active day is day."""
        firsts: dict[int, date] = {}
        for u, d in self.active:
            firsts[u] = min(d, firsts.get(u, d))
        return sum(1 for u, d in firsts.items() if d == day and scope in self.scopes[u])

    def streak_day(self, user: int, day: date) -> bool:
        """Whether the streak rule kept the learner's streak on day (active, or a used freeze)."""
        state = compute_streak(self.streak_active[user], self.grants[user], self.streaks_today)
        return day in self.streak_active[user] or day in state.freeze_days_used

    def daily(self, day: date, scope: str) -> dict:
        """Every DailyMetric figure of a day and scope."""
        sess = self.in_scope(self.sessions, day, scope)
        spans = self.in_scope(self.spans, day, scope)
        quiz = self.in_scope(self.quizzes, day, scope)
        minutes = [r["minutes"] for r in sess]
        focus = [r["focus"] for r in sess if r["focus"] is not None]
        focus_buckets = {label: 0 for label, _ in FOCUS_BUCKETS}
        for value in focus:
            focus_buckets[bucket_of(value, FOCUS_BUCKETS)] += 1
        span_buckets = {label: 0 for label, _ in SPAN_BUCKETS}
        for r in spans:
            span_buckets[bucket_of(r["seconds"], SPAN_BUCKETS)] += 1
        members = {u for u in self.tz if scope in self.scopes[u]}
        return {
            "active_learners": len(self.active_on(day, scope)),
            "weekly_active_learners": self.actives(day, scope, 7),
            "monthly_active_learners": self.actives(day, scope, 30),
            "new_learners": self.new_learners(day, scope),
            "sessions": len(sess),
            "learning_minutes": sum(minutes),
            "avg_session_minutes": statistics.mean(minutes) if minutes else None,
            "median_session_minutes": statistics.median(minutes) if minutes else None,
            "avg_focus_score": statistics.mean(focus) if focus else None,
            "focus_buckets": focus_buckets,
            "span_buckets": span_buckets,
            "avg_span_seconds": statistics.mean(r["seconds"] for r in spans) if spans else None,
            "interruptions": sum(r["interruptions"] for r in spans),
            "quiz_attempts": len(quiz),
            "avg_quiz_score": statistics.mean(r["pct"] for r in quiz) if quiz else None,
            "points_earned": sum(
                r["amount"] for r in self.in_scope(self.points, day, scope) if r["amount"] > 0
            ),
            "badges_awarded": len(self.in_scope(self.badges, day, scope)),
            "streak_holders": sum(1 for u in members if self.streak_day(u, day)),
        }

    # At-risk rules -----------------------------------------------------------------------

    def flags(self, as_of: date) -> set[tuple[int, str]]:
        """Every (learner, rule) that the documented rules fire for as of a day."""
        fired = set()
        for user in self.tz:
            fired |= {(user, rule) for rule in self._activity_rules(user, as_of)}
            if self._lost_streak(user, as_of):
                fired.add((user, "streak_broken"))
            if self._low_mastery(user, as_of):
                fired.add((user, "low_mastery"))
        return fired

    def _activity_rules(self, user: int, as_of: date) -> set[str]:
        def window(lo: int, hi: int) -> list[dict]:
            return [r for r in self.sessions if r["user"] == user and lo < (as_of - r["day"]).days <= hi]

        recent, before = window(-1, 6), window(6, 34)
        active = {d for u, d in self.active if u == user}
        fired = set()
        recent_days = {d for d in active if 0 <= (as_of - d).days <= 6}
        before_days = {d for d in active if 7 <= (as_of - d).days <= 34}
        if not recent_days and len(before_days) >= 8:
            fired.add("went_quiet")
        weekly = sum(r["minutes"] for r in before) / 4
        if weekly >= 30 and sum(r["minutes"] for r in recent) <= 0.7 * weekly:
            fired.add("minutes_down")
        r_focus = [r["focus"] for r in recent if r["focus"] is not None]
        p_focus = [r["focus"] for r in before if r["focus"] is not None]
        before_avg = statistics.mean(p_focus) if p_focus else 0
        if r_focus and before_avg > 0 and statistics.mean(r_focus) <= 0.7 * before_avg:
            fired.add("focus_down")
        return fired

    def _lost_streak(self, user: int, as_of: date) -> bool:
        active, grants = self.streak_active[user], self.grants[user]
        for k in range(1, 7):
            missed = as_of - timedelta(days=k)
            before = compute_streak(active, grants, missed)
            after = compute_streak(active, grants, missed + timedelta(days=1))
            if before.current >= 7 and after.started_on != before.started_on:
                return True
        return False

    def mastery(self, user: int, as_of: date) -> float | None:
        """Average over skills of the mastery rule, over the attempts submitted up to as_of."""
        per_skill: dict[int, list] = defaultdict(list)
        mine = [q for q in self.quizzes if q["user"] == user and q["day"] <= as_of and q["skill"]]
        for q in sorted(mine, key=lambda q: (q["at"], q["id"])):
            per_skill[q["skill"]].append((q["score"], q["max"], q["difficulty"]))
        values = [fold_attempts(attempts) for attempts in per_skill.values()]
        return sum(values) / len(values) if values else None

    def _low_mastery(self, user: int, as_of: date) -> bool:
        mine = [q for q in self.quizzes if q["user"] == user and 0 <= (as_of - q["day"]).days < 42]
        recent = [q["pct"] for q in mine if (as_of - q["day"]).days < 14]
        before = [q["pct"] for q in mine if (as_of - q["day"]).days >= 14]
        m = self.mastery(user, as_of)
        return bool(recent and before and m is not None and m < 0.4) and statistics.mean(
            recent
        ) < statistics.mean(before)
