"""A hand-built activity dataset with known answers, and an oracle over its raw rows.

Learners sit in different time zones and act around local midnight; one learner
is in two groups and one in none. The oracle recomputes every rollup figure in
plain Python from the raw rows (never from the rollup tables), so that the
tests compare two independent computations.
"""

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from tests import factories as f
from webapp.models import (
    AttentionSpan,
    FocusMetrics,
    GroupMember,
    LearningSession,
    PointsTransaction,
    QuizAttempt,
    StreakActivity,
    StreakFreeze,
    User,
    UserBadge,
)
from webapp.models.core.enums import (
    ContentType,
    FreezeOrigin,
    FreezeStatus,
    GroupRole,
    PointsReason,
    StreakSource,
)
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS, bucket_of

START = date(2024, 1, 1)
END = date(2024, 2, 15)
ZONES = ["Asia/Kolkata", "America/Los_Angeles", "UTC", "Pacific/Auckland", "Europe/London"]


@dataclass
class Dataset:
    """The ids a test needs: groups, learners by name, the teacher of group one."""

    groups: dict[str, int] = field(default_factory=dict)
    learners: dict[str, int] = field(default_factory=dict)
    teacher_email: str = ""
    other_teacher_email: str = ""


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _session(s: Session, user: User, started: datetime, minutes: int, focus: float | None, **kw):
    row = f.make_session(
        s, user=user, started_at=started, ended_at=started + timedelta(minutes=minutes),
        duration_seconds=minutes * 60, **kw,
    )  # fmt: skip
    if focus is not None:
        f.make_focus_metrics(s, session=row, focus_score=focus)
    return row


def build(s: Session, seed: int = 7) -> Dataset:
    """Build the dataset, commit it and return its ids."""
    ds = Dataset()
    g1, g2, g3 = f.make_group(s, name="Class 7A"), f.make_group(s, name="Class 7B"), f.make_group(s)
    teacher = f.make_teacher(s)
    other = f.make_teacher(s)
    f.make_member(s, role=GroupRole.TEACHER, group=g1, user=teacher)
    f.make_member(s, role=GroupRole.TEACHER, group=g3, user=other)
    ds.groups = {"g1": g1.id, "g2": g2.id, "g3": g3.id}
    ds.teacher_email, ds.other_teacher_email = teacher.email, other.email
    # asha: IST, both groups; ben: Los Angeles, g1; chen: UTC, g2; dev: Auckland, no group.
    people = {
        "asha": ("Asia/Kolkata", [g1, g2]), "ben": ("America/Los_Angeles", [g1]),
        "chen": ("UTC", [g2]), "dev": ("Pacific/Auckland", []), "ema": ("Europe/London", [g3]),
    }  # fmt: skip
    users = {}
    for name, (tz, groups) in people.items():
        users[name] = f.make_learner(s, timezone=tz, display_name=name.title())
        for group in groups:
            f.make_member(s, group=group, user=users[name])
    ds.learners = {name: u.id for name, u in users.items()}
    # Around midnight on 10 January (local): each of these falls on the 10th locally.
    _session(s, users["asha"], _utc(2024, 1, 9, 18, 40), 30, 80.0)  # 00:10 IST on the 10th
    _session(s, users["ben"], _utc(2024, 1, 11, 6, 30), 20, 55.0)  # 22:30 PST on the 10th
    _session(s, users["chen"], _utc(2024, 1, 10, 23, 50), 10, None)  # 23:50 UTC on the 10th
    _session(s, users["dev"], _utc(2024, 1, 9, 11, 30), 40, 91.0)  # 00:30 NZDT on the 10th
    _random_activity(s, users, random.Random(seed))
    s.commit()
    return ds


def _random_activity(s: Session, users: dict[str, User], rng: random.Random) -> None:
    """Forty-odd days of random activity, added in one flush (factories flush row by row)."""
    badge, skill = f.make_badge(s), f.make_skill(s)
    rows: list = []
    for user in users.values():
        f.make_mastery(s, user=user, skill=skill, mastery=rng.random())
        day = START
        while day <= END:
            midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
            for _ in range(rng.randint(1, 3) if rng.random() < 0.55 else 0):
                start = midnight + timedelta(minutes=rng.randint(0, 24 * 60 - 1))
                minutes = rng.randint(1, 70)
                row = LearningSession(
                    user_id=user.id, started_at=start, ended_at=start + timedelta(minutes=minutes),
                    duration_seconds=minutes * 60, content_type=rng.choice(list(ContentType)),
                )  # fmt: skip
                rows.append(row)
                if rng.random() < 0.8:
                    rows.append(
                        FocusMetrics(
                            session=row,
                            user_id=user.id,
                            focus_score=round(rng.uniform(0, 100), 1),
                            avg_span_seconds=100,
                            longest_span_seconds=200,
                        )
                    )
                for k in range(rng.randint(0, 2)):
                    rows.append(AttentionSpan(
                        session=row, user_id=user.id, started_at=start + timedelta(minutes=k),
                        ended_at=start + timedelta(minutes=k + 1), focus_seconds=rng.randint(5, 1900),
                        interruptions=rng.randint(0, 4),
                    ))  # fmt: skip
            if rng.random() < 0.25:
                at = midnight + timedelta(hours=rng.randint(0, 23))
                # Most are submitted, some hours later (often on another local day); some never.
                submitted = at + timedelta(minutes=rng.randint(1, 900)) if rng.random() < 0.8 else None
                rows.append(
                    QuizAttempt(
                        user_id=user.id,
                        skill_id=skill.id,
                        started_at=at,
                        submitted_at=submitted,
                        score=rng.randint(0, 50),
                        max_score=50,
                        correct_count=rng.randint(0, 10),
                        total_questions=10,
                    )
                )
            if rng.random() < 0.3:
                at = midnight + timedelta(hours=rng.randint(0, 23))
                amount = rng.choice([5, 10, 25, -15])
                reason = (
                    PointsReason.FREEZE_PURCHASE
                    if amount < 0
                    else rng.choice([PointsReason.SESSION_COMPLETED, PointsReason.QUIZ_PASSED])
                )
                rows.append(
                    PointsTransaction(
                        user_id=user.id,
                        amount=amount,
                        reason=reason,
                        created_at=at,
                        idempotency_key=f"ds:{f.next_id()}",
                    )
                )
            if rng.random() < 0.5:
                rows.append(StreakActivity(user_id=user.id, day=day, source=StreakSource.SESSION))
            elif rng.random() < 0.1:
                rows.append(
                    StreakFreeze(
                        user_id=user.id, origin=FreezeOrigin.EARNED, status=FreezeStatus.USED, used_on=day
                    )
                )
            day += timedelta(days=1)
        at = datetime(2024, 1, rng.randint(1, 31), rng.randint(0, 23), tzinfo=UTC)
        rows.append(UserBadge(user_id=user.id, badge_id=badge.id, awarded_at=at))
    s.add_all(rows)
    s.flush()


# The oracle ---------------------------------------------------------------------------


def _local(ts: datetime, tz: str) -> datetime:
    return ts.astimezone(ZoneInfo(tz))


class Oracle:
    """Every rollup figure recomputed in Python from the raw rows."""

    def __init__(self, s: Session) -> None:
        self.tz = {u.id: u.timezone for u in s.query(User)}
        self.scopes: dict[int, list[str]] = defaultdict(lambda: ["all"])
        for m in s.query(GroupMember).filter(GroupMember.role == GroupRole.MEMBER):
            self.scopes[m.user_id] = [*self.scopes[m.user_id], f"group:{m.group_id}"]
        focus = {fm.session_id: fm.focus_score for fm in s.query(FocusMetrics)}
        self.sessions = []
        for row in s.query(LearningSession):
            local = _local(row.started_at, self.tz[row.user_id])
            self.sessions.append({
                "user": row.user_id, "day": local.date(), "hour": local.hour,
                "minutes": (row.duration_seconds or 0) / 60, "focus": focus.get(row.id),
                "content_type": row.content_type.value,
            })  # fmt: skip
        self.spans = [
            {"user": a.user_id, "day": _local(a.started_at, self.tz[a.user_id]).date(),
             "seconds": a.focus_seconds, "interruptions": a.interruptions}
            for a in s.query(AttentionSpan)
        ]  # fmt: skip
        # A quiz counts on the local day it was submitted; attempts never submitted do not count.
        self.quizzes = [
            {"user": q.user_id, "day": _local(q.submitted_at, self.tz[q.user_id]).date(),
             "pct": 100 * q.score / q.max_score}
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
        self.streak_days = {(a.user_id, a.day) for a in s.query(StreakActivity)}
        self.streak_days |= {
            (z.user_id, z.used_on) for z in s.query(StreakFreeze) if z.status == FreezeStatus.USED
        }
        self.active = {(r["user"], r["day"]) for r in self.sessions + self.quizzes}

    def in_scope(self, rows: list[dict], day: date, scope: str) -> list[dict]:
        """The rows of a day whose learner counts in a scope."""
        return [r for r in rows if r["day"] == day and scope in self.scopes[r["user"]]]

    def actives(self, day: date, scope: str, window: int) -> int:
        """Distinct learners of a scope active in the window of days ending on day."""
        first = day - timedelta(days=window - 1)
        return len({u for u, d in self.active if first <= d <= day and scope in self.scopes[u]})

    def new_learners(self, day: date, scope: str) -> int:
        """Learners of a scope whose first active day is day."""
        firsts: dict[int, date] = {}
        for u, d in self.active:
            firsts[u] = min(d, firsts.get(u, d))
        return sum(1 for u, d in firsts.items() if d == day and scope in self.scopes[u])

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
            "active_learners": len({u for u, d in self.active if d == day and u in members}),
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
            "streak_holders": len({u for u, d in self.streak_days if d == day and u in members}),
        }
