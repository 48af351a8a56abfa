"""A hand-built activity dataset with known answers (its oracle is in tests/reports/oracle.py).

Learners sit in different time zones and act around local midnight; one learner is in two
groups, one in none, and two share a name. Los Angeles moves to summer time on 10 March
2024, inside the span. Quiz attempts are submitted minutes after they start (some across
local midnight) or never (abandoned with a partial score). Freezes are granted at random and
the streak engine decides which days they cover.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from tests import factories as f
from tests.reports.oracle import Oracle
from webapp.models import (
    AttentionSpan,
    FocusMetrics,
    LearningSession,
    PointsTransaction,
    QuizAttempt,
    StreakFreeze,
    User,
    UserBadge,
)
from webapp.models.core.enums import ContentType, Difficulty, FreezeOrigin, GroupRole, PointsReason
from webapp.services.recompute import recompute_all

START = date(2024, 1, 1)
END = date(2024, 3, 12)
# The day after END: every day up to it is refreshed and evaluated by `support.refreshed`.
AS_OF = END + timedelta(days=1)
DST_DAY = date(2024, 3, 10)  # Los Angeles: 02:00 PST becomes 03:00 PDT
# Ema stops learning from this day on: she "went quiet" by the end of the span.
QUIET_FROM = {"ema": date(2024, 3, 1)}
ZONES = ["Asia/Kolkata", "America/Los_Angeles", "UTC", "Pacific/Auckland", "Europe/London"]

__all__ = ["AS_OF", "DST_DAY", "END", "START", "ZONES", "Dataset", "User", "build", "oracle"]


@dataclass
class Dataset:
    """The ids a test needs: groups, learners by name, the teacher of group one."""

    groups: dict[str, int] = field(default_factory=dict)
    learners: dict[str, int] = field(default_factory=dict)
    teacher_email: str = ""
    other_teacher_email: str = ""


def days() -> list[date]:
    """Every day of the span, START to END."""
    return [START + timedelta(days=k) for k in range((END - START).days + 1)]


def oracle(s: Session) -> Oracle:
    """The oracle over the dataset's raw rows (its streaks were rebuilt as of AS_OF)."""
    return Oracle(s, AS_OF)


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
    # asha: IST, both groups; ben: Los Angeles, g1; chen: UTC, g2; dev: Auckland, no group;
    # ema: London, g3; "Asha" again: a second learner of that name, in g3.
    people = {
        "asha": ("Asia/Kolkata", [g1, g2], "Asha"), "ben": ("America/Los_Angeles", [g1], "Ben"),
        "chen": ("UTC", [g2], "Chen"), "dev": ("Pacific/Auckland", [], "Dev"),
        "ema": ("Europe/London", [g3], "Ema"), "asha2": ("Asia/Kolkata", [g3], "Asha"),
    }  # fmt: skip
    users = {}
    for key, (tz, groups, name) in people.items():
        users[key] = f.make_learner(s, timezone=tz, display_name=name)
        for group in groups:
            f.make_member(s, group=group, user=users[key])
    ds.learners = {key: u.id for key, u in users.items()}
    # Around midnight on 10 January (local): each of these falls on the 10th locally.
    _session(s, users["asha"], _utc(2024, 1, 9, 18, 40), 30, 80.0)  # 00:10 IST on the 10th
    _session(s, users["ben"], _utc(2024, 1, 11, 6, 30), 20, 55.0)  # 22:30 PST on the 10th
    _session(s, users["chen"], _utc(2024, 1, 10, 23, 50), 10, None)  # 23:50 UTC on the 10th
    _session(s, users["dev"], _utc(2024, 1, 9, 11, 30), 40, 91.0)  # 00:30 NZDT on the 10th
    # Around the change to summer time in Los Angeles (10 March): hours 1 and 3 exist, 2 does not.
    _session(s, users["ben"], _utc(2024, 3, 10, 7, 30), 15, 61.0)  # 23:30 PST on the 9th
    _session(s, users["ben"], _utc(2024, 3, 10, 9, 30), 15, 62.0)  # 01:30 PST on the 10th
    _session(s, users["ben"], _utc(2024, 3, 10, 10, 30), 15, 63.0)  # 03:30 PDT on the 10th
    _session(s, users["ben"], _utc(2024, 3, 11, 6, 59), 15, 64.0)  # 23:59 PDT on the 10th
    _random_activity(s, users, random.Random(seed))
    # A learning path asha's app reported: 2 of its 3 modules done.
    path = f.make_path(s, slug="fractions", name="Fractions")
    for n in (1, 2, 3):
        f.make_path_module(s, path=path, title=f"Fractions {n}")
    f.make_path_enrolment(s, user=users["asha"], path=path, modules_completed=2,
                          enrolled_at=_utc(2024, 1, 5, 9), last_activity_at=_utc(2024, 3, 1, 9))  # fmt: skip
    s.commit()
    # Derived state as the engine writes it: points, streak days and the freezes they used,
    # mastery, badges, engagement profiles.
    recompute_all(s, today=AS_OF)
    s.commit()
    return ds


def _sessions(user: User, midnight: datetime, rng: random.Random) -> list:
    rows: list = []
    for _ in range(rng.randint(1, 3) if rng.random() < 0.55 else 0):
        start = midnight + timedelta(minutes=rng.randint(0, 24 * 60 - 1))
        minutes = rng.randint(1, 70)
        row = LearningSession(
            user_id=user.id, started_at=start, ended_at=start + timedelta(minutes=minutes),
            duration_seconds=minutes * 60, content_type=rng.choice(list(ContentType)),
            is_completed=rng.random() < 0.9,
        )  # fmt: skip
        rows.append(row)
        if rng.random() < 0.8:
            rows.append(FocusMetrics(
                session=row, user_id=user.id, focus_score=round(rng.uniform(0, 100), 1),
                avg_span_seconds=100, longest_span_seconds=200,
            ))  # fmt: skip
        for k in range(rng.randint(0, 2)):
            rows.append(AttentionSpan(
                session=row, user_id=user.id, started_at=start + timedelta(minutes=k),
                ended_at=start + timedelta(minutes=k + 1), focus_seconds=rng.randint(5, 1900),
                interruptions=rng.randint(0, 4),
            ))  # fmt: skip
    return rows


def _quiz(user: User, skill_id: int, midnight: datetime, rng: random.Random) -> QuizAttempt:
    """A quiz: submitted 5-90 minutes after it starts (3 in 4), else abandoned with a partial score."""
    at = midnight + timedelta(hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
    submitted = at + timedelta(minutes=rng.randint(5, 90)) if rng.random() < 0.75 else None
    return QuizAttempt(
        user_id=user.id, skill_id=skill_id, started_at=at, submitted_at=submitted,
        score=rng.randint(0, 50), max_score=50, correct_count=rng.randint(0, 10), total_questions=10,
        difficulty=rng.choice(list(Difficulty)),
    )  # fmt: skip


def _points(user: User, midnight: datetime, rng: random.Random) -> PointsTransaction:
    amount = rng.choice([5, 10, 25, -15])
    reason = (
        PointsReason.FREEZE_PURCHASE
        if amount < 0
        else rng.choice([PointsReason.SESSION_COMPLETED, PointsReason.QUIZ_PASSED])
    )
    return PointsTransaction(
        user_id=user.id, amount=amount, reason=reason, idempotency_key=f"ds:{f.next_id()}",
        created_at=midnight + timedelta(hours=rng.randint(0, 23)),
    )  # fmt: skip


def _random_activity(s: Session, users: dict[str, User], rng: random.Random) -> None:
    """Seventy-odd days of random activity, added in one flush (factories flush row by row)."""
    badge, skills = f.make_badge(s), [f.make_skill(s).id, f.make_skill(s).id]
    rows: list = []
    for key, user in users.items():
        day = START
        while day <= END and day < QUIET_FROM.get(key, AS_OF):
            midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
            rows += _sessions(user, midnight, rng)
            if rng.random() < 0.25:
                rows.append(_quiz(user, rng.choice(skills), midnight, rng))
            if rng.random() < 0.3:
                rows.append(_points(user, midnight, rng))
            if rng.random() < 0.06:
                acquired = midnight + timedelta(hours=rng.randint(0, 23))
                rows.append(StreakFreeze(user_id=user.id, origin=FreezeOrigin.EARNED, acquired_at=acquired))
            day += timedelta(days=1)
        at = datetime(2024, 1, rng.randint(1, 31), rng.randint(0, 23), tzinfo=UTC)
        rows.append(UserBadge(user_id=user.id, badge_id=badge.id, awarded_at=at))
    s.add_all(rows)
    s.flush()
