"""The refresh at district scale: medians in SQL equal to the raw rows' own, fresh statistics."""

import statistics
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests import factories as f
from tests.dbutil import Statements
from tests.reports import dataset, support
from webapp.extensions import db
from webapp.models import DailyMetric, GroupMember, LearningSession
from webapp.models.analytics.metrics import group_scope
from webapp.models.core.enums import GroupRole
from webapp.services.analytics.rollups import CHUNK_TABLES, EVALUATION_TABLES, refresh

DAY = date(2024, 5, 6)


def _sessions(session, user, minutes: list[float], day: date = DAY) -> None:
    for k, m in enumerate(minutes):
        started = datetime(day.year, day.month, day.day, 8 + k, tzinfo=UTC)
        f.make_session(
            session, user=user, started_at=started, ended_at=started + timedelta(minutes=m),
            duration_seconds=round(m * 60),
        )  # fmt: skip


def _raw_medians(session) -> dict[tuple[date, str], float]:
    """The median of each (local day, scope) straight from the raw sessions (statistics.median);
    a learner counts in each group they were a member of (not a teacher) on that day."""
    s = LearningSession
    rows = session.execute(select(s.user_id, s.local_day, s.duration_seconds))
    members: dict[int, list[GroupMember]] = {}
    for m in session.scalars(select(GroupMember).where(GroupMember.role == GroupRole.MEMBER)):
        members.setdefault(m.user_id, []).append(m)
    values: dict[tuple[date, str], list[float]] = {}
    for user_id, day, seconds in rows:
        groups = [m.group_id for m in members.get(user_id, []) if m.left_on is None or day < m.left_on]
        for scope in ["all", *(group_scope(g) for g in groups)]:
            values.setdefault((day, scope), []).append((seconds or 0) / 60.0)
    return {key: statistics.median(v) for key, v in values.items()}


def test_medians_equal_the_raw_rows_for_odd_and_even_counts(session):
    g1, g2 = f.make_group(session), f.make_group(session)
    users = [f.make_learner(session, timezone="UTC") for _ in range(3)]
    f.make_member(session, group=g1, user=users[0])
    f.make_member(session, group=g1, user=users[1])
    f.make_member(session, group=g2, user=users[2])
    _sessions(session, users[0], [10, 3, 7.5])  # g1: 5 sessions, odd
    _sessions(session, users[1], [20, 1])
    _sessions(session, users[2], [4, 9, 2, 30])  # g2: 4 sessions, even (mean of 4 and 9)
    _sessions(session, users[2], [12], DAY + timedelta(days=1))  # one session: itself
    session.commit()
    with Statements() as sql:
        refresh(db.engine, DAY, DAY + timedelta(days=1), today=DAY + timedelta(days=3))
    expected = _raw_medians(session)
    got = {
        (m.day, m.scope): m.median_session_minutes
        for m in session.scalars(select(DailyMetric).where(DailyMetric.median_session_minutes.is_not(None)))
    }
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert abs(got[key] - value) < 1e-9, key
    assert got[(DAY, group_scope(g2.id))] == 6.5
    assert got[(DAY, "all")] == 7.5  # 9 sessions: the 5th
    if db.engine.dialect.name == "postgresql":
        assert any("percentile_cont(0.5) WITHIN GROUP" in s for s in sql)


def test_medians_of_the_hand_made_dataset_equal_the_raw_rows(session):
    support.refreshed(session)
    expected = _raw_medians(session)
    got = {
        (m.day, m.scope): m.median_session_minutes
        for m in session.scalars(select(DailyMetric).where(DailyMetric.median_session_minutes.is_not(None)))
    }
    first = dataset.START - timedelta(days=1)
    wanted = {key: v for key, v in expected.items() if first <= key[0] <= dataset.AS_OF}
    assert {k: round(v, 9) for k, v in got.items()} == {k: round(v, 9) for k, v in wanted.items()}


def test_refresh_analyzes_what_it_rewrote_on_postgresql(session):
    user = f.make_learner(session, timezone="UTC")
    for k in range(20):
        _sessions(session, user, [5, 6], DAY + timedelta(days=k))
    session.commit()
    today = DAY + timedelta(days=21)
    with Statements() as sql:
        stats = refresh(db.engine, DAY, DAY + timedelta(days=19), today=today)
    analyzed = [s for s in sql if s.upper().startswith("ANALYZE")]
    if db.engine.dialect.name != "postgresql":
        assert stats.analyzed == ()
        assert analyzed == []
        return
    # A first run rewrote every day and evaluation: fresh statistics before any page reads them.
    assert stats.analyzed == CHUNK_TABLES + EVALUATION_TABLES
    assert analyzed == [f"ANALYZE {', '.join(CHUNK_TABLES + EVALUATION_TABLES)}"]
    # One day of twenty, nothing new to evaluate: a few percent, left to autovacuum.
    assert refresh(db.engine, days=[DAY + timedelta(days=19)], today=today).analyzed == ()
    # A backfill of a quarter of the days (and the evaluations that read them).
    backfill = refresh(db.engine, DAY, DAY + timedelta(days=4), today=today)
    assert backfill.analyzed == CHUNK_TABLES + EVALUATION_TABLES


def test_weekly_and_monthly_actives_equal_the_raw_rows_with_memberships_that_ended(session):
    g1, g2 = f.make_group(session), f.make_group(session)
    ana, bo, cy = (f.make_learner(session, timezone="UTC") for _ in range(3))
    f.make_member(session, group=g1, user=ana, left_on=DAY + timedelta(days=12))  # left g1 mid-range
    f.make_member(session, group=g1, user=bo)
    f.make_member(session, group=g2, user=bo)  # in two groups
    f.make_member(session, group=g2, user=f.make_teacher(session), role=GroupRole.TEACHER)
    active = {
        ana: [0, 1, 9, 10, 33, 40],
        bo: [2, 8, 15, 16, 17, 45, 46],
        cy: [5, 36],  # in no group: the platform only
    }
    for user, offsets in active.items():
        for k in offsets:
            _sessions(session, user, [10], DAY + timedelta(days=k))
    session.commit()
    last = DAY + timedelta(days=50)
    refresh(db.engine, DAY, last, today=last + timedelta(days=2))  # two chunks of days
    members = {
        "all": dict.fromkeys(active),
        group_scope(g1.id): {ana: DAY + timedelta(days=12), bo: None},
        group_scope(g2.id): {bo: None},
    }
    days_of = {u: {DAY + timedelta(days=k) for k in offsets} for u, offsets in active.items()}

    def expected(t: date, scope: str, window: int) -> int:
        return sum(
            1
            for u, left in members[scope].items()
            if (left is None or t < left) and any(t - timedelta(days=window) < a <= t for a in days_of[u])
        )

    rows = session.scalars(select(DailyMetric).where(DailyMetric.day.between(DAY, last)))
    checked = 0
    for m in rows:
        assert (m.day, m.scope, m.weekly_active_learners) == (m.day, m.scope, expected(m.day, m.scope, 7))
        assert (m.day, m.scope, m.monthly_active_learners) == (m.day, m.scope, expected(m.day, m.scope, 30))
        checked += 1
    assert checked == 51 * 3


def test_mastery_on_many_days_equals_mastery_as_of_each_day(session):
    from webapp.services.analytics.features import mastery_as_of, mastery_on_days
    from webapp.services.analytics.sql import Dialect

    skills = [f.make_skill(session) for _ in range(2)]
    ana, bo = f.make_learner(session, timezone="UTC"), f.make_learner(session, timezone="UTC")
    for k, score in enumerate([40, 90, 20, 70, 55, 100]):
        started = datetime(2024, 5, 1 + 2 * k, 9, tzinfo=UTC)
        f.make_quiz_attempt(session, user=ana, skill=skills[k % 2], started_at=started, score=score)
        f.make_quiz_attempt(session, user=bo, skill=skills[0], started_at=started, score=100 - score)
    # A learner who moved across time zones: a later submission on an earlier local day.
    f.make_quiz_attempt(session, user=bo, skill=skills[1], started_at=datetime(2024, 5, 5, 9, tzinfo=UTC))
    later = datetime(2024, 5, 9, 9, tzinfo=UTC)
    moved = f.make_quiz_attempt(session, user=bo, skill=skills[1], started_at=later, score=10)
    session.flush()
    moved.local_day = date(2024, 5, 2)
    session.commit()
    d = Dialect(db.engine.dialect.name)
    days = [date(2024, 4, 30) + timedelta(days=k) for k in range(16)]
    with db.engine.connect() as conn:
        many = mastery_on_days(conn, d, {day: [ana.id, bo.id] for day in days})
        for day in days:
            assert many.get(day, {}) == mastery_as_of(conn, d, day, [ana.id, bo.id]), day
    assert many[date(2024, 4, 30)] == {}
    assert set(many[date(2024, 5, 14)]) == {ana.id, bo.id}
