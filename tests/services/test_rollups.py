"""The rollups against an independent computation from the raw rows of a known dataset."""

import math
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.reports import dataset, support
from webapp.extensions import db
from webapp.models import (
    DailyMetric,
    HourlyMetric,
    LearnerDay,
    LearningSession,
    RetentionCohort,
    RiskEvaluation,
)
from webapp.models.analytics import ContentTypeMetric, PointsReasonMetric
from webapp.services.analytics.rollups import RISK_HISTORY_DAYS, chunks, refresh

FIGURES = [
    c.name
    for c in DailyMetric.__table__.columns
    if c.name not in {"id", "day", "scope", "study_group_id", "computed_at"}
]


@pytest.fixture
def data(session) -> dataset.Dataset:
    """The dataset, refreshed over its whole span."""
    ds = dataset.build(session)
    support.refresh_dataset()
    session.expire_all()
    return ds


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _days():
    day = dataset.START - timedelta(days=1)
    while day <= dataset.AS_OF:
        yield day
        day += timedelta(days=1)


def test_every_daily_figure_matches_the_raw_rows(session, data):
    oracle = dataset.oracle(session)
    scopes = ["all", *(f"group:{gid}" for gid in data.groups.values())]
    rows = {(m.day, m.scope): m for m in session.scalars(select(DailyMetric))}
    assert len(rows) == len(list(_days())) * len(scopes)
    mismatches = []
    for day in _days():
        for scope in scopes:
            expected = oracle.daily(day, scope)
            got = rows[(day, scope)]
            for name in FIGURES:
                if not _same(getattr(got, name), expected[name]):
                    mismatches.append((day, scope, name, getattr(got, name), expected[name]))
    assert mismatches == []


def test_known_answers_around_local_midnight(session, data):
    g1, g2 = f"group:{data.groups['g1']}", f"group:{data.groups['g2']}"
    ids = data.learners
    day = date(2024, 1, 10)
    have = {
        r.user_id
        for r in session.scalars(select(LearnerDay).where(LearnerDay.day == day, LearnerDay.is_active))
    }
    # Each of the four midnight sessions lands on the 10th in its learner's own time zone.
    assert {ids["asha"], ids["ben"], ids["chen"], ids["dev"]} <= have
    starts = {s.user_id: s.started_at for s in session.scalars(select(LearningSession))}
    assert starts  # the UTC dates of those sessions are the 9th, 11th, 10th and 9th
    metric = {m.scope: m for m in session.scalars(select(DailyMetric).where(DailyMetric.day == day))}
    # asha is in both groups, so she counts in g1 and in g2, and once on the platform.
    assert metric[g1].active_learners >= 2  # asha and ben
    assert metric[g2].active_learners >= 2  # asha and chen
    assert metric["all"].active_learners <= metric[g1].active_learners + metric[g2].active_learners + 2


def test_hourly_and_breakdowns_match_the_raw_rows(session, data):
    oracle = dataset.oracle(session)
    hourly = {}
    for r in oracle.sessions:
        for scope in oracle.scopes[r["user"]]:
            key = (r["day"], scope, r["hour"])
            n, m = hourly.get(key, (0, 0.0))
            hourly[key] = (n + 1, m + r["minutes"])
    got = {
        (h.day, h.scope, h.hour): (h.sessions, h.learning_minutes)
        for h in session.scalars(select(HourlyMetric))
    }
    assert got.keys() == hourly.keys()
    assert all(got[k][0] == v[0] and math.isclose(got[k][1], v[1]) for k, v in hourly.items())
    by_type = {}
    for r in oracle.sessions:
        for scope in oracle.scopes[r["user"]]:
            key = (r["day"], scope, r["content_type"])
            by_type[key] = by_type.get(key, 0) + 1
    got_types = {
        (c.day, c.scope, c.content_type): c.sessions for c in session.scalars(select(ContentTypeMetric))
    }
    assert got_types == by_type
    reasons = {}
    for r in oracle.points:
        for scope in oracle.scopes[r["user"]]:
            key = (r["day"], scope, r["reason"])
            reasons[key] = reasons.get(key, 0) + r["amount"]
    got_reasons = {(p.day, p.scope, p.reason): p.points for p in session.scalars(select(PointsReasonMetric))}
    assert got_reasons == reasons


def _snapshot(session) -> dict:
    session.expire_all()
    tables = {
        "daily": (DailyMetric, ("day", "scope", *FIGURES)),
        "hourly": (HourlyMetric, ("day", "scope", "hour", "sessions", "learning_minutes")),
        "learner_days": (LearnerDay, ("user_id", "day", "sessions", "learning_minutes", "points_earned")),
    }
    out = {}
    for name, (model, cols) in tables.items():
        rows = session.scalars(select(model)).all()
        out[name] = sorted(tuple(str(getattr(r, c)) for c in cols) for r in rows)
    return out


def test_refresh_twice_gives_identical_rows(session, data):
    before = _snapshot(session)
    support.refresh_dataset()
    assert _snapshot(session) == before


def test_late_data_is_picked_up_by_a_later_refresh(session, data):
    learner = session.get(dataset.User, data.learners["chen"])
    day = date(2024, 2, 14)
    before = session.scalars(
        select(DailyMetric).where(DailyMetric.day == day, DailyMetric.scope == "all")
    ).one()
    sessions_before = before.sessions
    dataset._session(session, learner, dataset._utc(2024, 2, 14, 12), 15, 50.0)
    session.commit()
    refresh(db.engine, day, day, today=dataset.AS_OF + timedelta(days=1))
    session.expire_all()
    after = session.scalars(
        select(DailyMetric).where(DailyMetric.day == day, DailyMetric.scope == "all")
    ).one()
    assert after.sessions == sessions_before + 1


def test_default_refresh_fills_missing_days_and_the_trailing_window(session):
    dataset.build(session)
    stats = refresh(db.engine, today=dataset.END)
    days = {m.day for m in session.scalars(select(DailyMetric).where(DailyMetric.scope == "all"))}
    assert min(days) <= dataset.START
    assert max(days) == dataset.END
    assert stats.days == len(days)
    again = refresh(db.engine, today=dataset.END)
    assert again.days == 3  # nothing missing any more: only the trailing window


def test_chunks_split_runs_of_consecutive_days():
    d = date(2024, 1, 1)
    days = [d, d + timedelta(days=1), d + timedelta(days=5)]
    assert chunks(days) == [(d, d + timedelta(days=1)), (d + timedelta(days=5), d + timedelta(days=5))]
    many = [d + timedelta(days=k) for k in range(40)]
    assert chunks(many, size=31) == [
        (d, d + timedelta(days=30)),
        (d + timedelta(days=31), d + timedelta(days=39)),
    ]


def test_cli_refresh_reports_progress_and_rate(runner, session):
    dataset.build(session)
    result = runner.invoke(args=["analytics", "refresh", "--from", "2024-01-08", "--to", "2024-01-12"])
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.output
    assert "2024-01-08..2024-01-12" in result.output


def test_cohorts_and_flags_are_evaluated_once_per_complete_day(session):
    dataset.build(session)
    today = dataset.AS_OF + timedelta(days=1)
    first = refresh(db.engine, today=today)
    assert (first.as_of, first.evaluated_days) == (dataset.AS_OF, RISK_HISTORY_DAYS)

    def stamps() -> tuple[dict, set]:
        session.expire_all()
        flags = {e.as_of: e.computed_at for e in session.scalars(select(RiskEvaluation))}
        cohorts = {
            (c.cohort_week, c.week_offset, c.computed_at, c.as_of)
            for c in session.scalars(select(RetentionCohort))
        }
        return flags, cohorts

    before = stamps()
    again = refresh(db.engine, today=today)  # the next 15-minute run, the same day
    assert again.evaluated_days == 0
    assert stamps() == before
    job = refresh(
        db.engine, days=[dataset.END - timedelta(days=3)], today=today
    )  # late data marked by ingest
    assert (job.days, job.evaluated_days) == (1, 0)
    next_day = refresh(db.engine, today=today + timedelta(days=1))
    assert next_day.evaluated_days == 1
    flags, cohorts = stamps()
    assert max(flags) == dataset.AS_OF + timedelta(days=1)
    assert {c[3] for c in cohorts} == {dataset.AS_OF + timedelta(days=1)}
