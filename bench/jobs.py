"""The jobs: one day of activity ingested, then the time until every derived figure and rollup is current;
the engine update's cost for 1% of the learners changed against 100% (and a full recompute).

Runs in-process on a throwaway copy of the dataset. The day is written as ingest will write
it (raw rows and change marks in one transaction per table batch), then the engine update
and the analytics refresh run as their jobs do (services/engine_update.run_engine and
services/refresh_job.refresh_marked), one after the other as a worker would.
"""

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import insert, select

from webapp.extensions import db
from webapp.models import DailyLogin, FocusMetrics, LearningSession, QuizAttempt, SessionEvent, User
from webapp.models.core.enums import Role
from webapp.services import marks
from webapp.services.timezones import learner_zone

SHARE_ACTIVE = 0.6  # learners active on the new day


@dataclass
class DayResult:
    rows: int
    learners: int
    write_s: float
    engine_s: float
    refresh_s: float

    @property
    def until_current_s(self) -> float:
        return self.engine_s + self.refresh_s


def analyze(app: Flask) -> None:
    """Give PostgreSQL's planner statistics, as autovacuum does after a bulk load (a server may run
    with autovacuum off, as the bench's did: without statistics it picks nested loops over seq scans)."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        db.session.remove()


def _learners(session) -> list[tuple[int, str]]:
    return list(
        session.execute(select(User.id, User.timezone).where(User.role == Role.LEARNER).order_by(User.id))
    )


def _day_rows(learners, now: datetime, rng: random.Random) -> tuple[list[dict], list[tuple], list]:
    """Sessions (with their events, focus and quizzes to come), logins, and the pairs to mark."""
    sessions, logins, pairs = [], [], set()
    for user_id, tz in learners:
        if rng.random() > SHARE_ACTIVE:
            continue
        zone = learner_zone(tz)
        local_midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        span = max((now - local_midnight).total_seconds() - 3600, 600)
        own = []
        for _ in range(rng.choice((1, 1, 2))):
            start = now - timedelta(seconds=rng.uniform(1800, span + 1800))
            minutes = rng.randint(5, 40)
            end = start + timedelta(minutes=minutes)
            done = rng.random() < 0.85
            own.append(
                {
                    "user_id": user_id,
                    "started_at": start,
                    "ended_at": end,
                    "is_completed": done,
                    "duration_seconds": minutes * 60,
                    "content_type": "video",
                    "device": "web",
                }
            )
            pairs.add((user_id, start.astimezone(zone).date()))
        sessions += own
        first = min(s["started_at"] for s in own)
        logins.append({"user_id": user_id, "day": first.astimezone(zone).date(), "first_login_at": first,
                       "last_login_at": first, "login_count": 1, "device": "android"})  # fmt: skip
    return sessions, logins, sorted(pairs)


def ingest_one_day(app: Flask, seed: int = 7) -> tuple[int, int, float]:
    """Write one day of raw activity for most learners, with its change marks; return (rows, learners, s)."""
    rng = random.Random(seed)
    with app.app_context():
        session = db.session
        started = time.perf_counter()
        now = datetime.now(UTC)
        sessions, logins, pairs = _day_rows(_learners(session), now, rng)
        table = LearningSession.__table__
        ids = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), sessions
        ).scalars()
        ids = list(ids)
        events, focus, quizzes = [], [], []
        for sid, s in zip(ids, sessions, strict=True):
            for k, kind in enumerate(("start", "video_play", "pause", "resume", "end")):
                at = s["started_at"] + timedelta(seconds=k * s["duration_seconds"] / 4)
                events.append(
                    {"session_id": sid, "user_id": s["user_id"], "event_type": kind, "occurred_at": at}
                )
            focus.append({"session_id": sid, "user_id": s["user_id"], "focus_score": rng.uniform(30, 95),
                          "avg_span_seconds": 120.0, "longest_span_seconds": 400, "distraction_count": 2,
                          "computed_at": s["ended_at"]})  # fmt: skip
            if rng.random() < 0.3:
                score = float(rng.randint(3, 10) * 10)
                quizzes.append({"user_id": s["user_id"], "session_id": sid, "started_at": s["started_at"],
                                "submitted_at": s["ended_at"], "score": score, "max_score": 100.0,
                                "correct_count": int(score // 10), "total_questions": 10,
                                "time_spent_seconds": 300})  # fmt: skip
        for model, rows in ((SessionEvent, events), (FocusMetrics, focus), (QuizAttempt, quizzes),
                            (DailyLogin, logins)):  # fmt: skip
            if rows:
                session.execute(insert(model.__table__), rows)
        marks.mark(session, pairs)
        session.commit()
        seconds = time.perf_counter() - started
        rows = len(sessions) + len(events) + len(focus) + len(quizzes) + len(logins)
        return rows, len(logins), seconds


def bring_current(app: Flask) -> tuple[float, float]:
    """Run the engine update, then the analytics refresh, as the jobs do; return both times."""
    from webapp.services.engine_update import run_engine
    from webapp.services.refresh_job import refresh_marked

    with app.app_context():
        started = time.perf_counter()
        while marks.backlog(db.session, marks.ENGINE):
            run_engine(db.session)
        engine_s = time.perf_counter() - started
        started = time.perf_counter()
        refresh_marked(db.session)
        refresh_s = time.perf_counter() - started
        db.session.remove()
    return engine_s, refresh_s


def one_day(app: Flask) -> DayResult:
    """Ingest one day, then time until every derived figure and rollup is current."""
    rows, learners, write_s = ingest_one_day(app)
    engine_s, refresh_s = bring_current(app)
    return DayResult(rows, learners, write_s, engine_s, refresh_s)


def engine_cost(app: Flask, share: float, seed: int = 11) -> tuple[int, float]:
    """Mark a share of the learners changed today and time the engine update; return (learners, s)."""
    from webapp.services.engine_update import run_engine

    with app.app_context():
        session = db.session
        learners = _learners(session)
        chosen = random.Random(seed).sample(learners, max(1, round(len(learners) * share)))
        marks.mark(session, [(u, datetime.now(learner_zone(tz)).date()) for u, tz in chosen], [marks.ENGINE])
        session.commit()
        started = time.perf_counter()
        while marks.backlog(session, marks.ENGINE):
            run_engine(session)
        seconds = time.perf_counter() - started
        db.session.remove()
    return len(chosen), seconds


def full_recompute(app: Flask) -> float:
    """Time `gamification recompute` (every learner, whole history)."""
    from webapp.services.recompute import recompute_all

    with app.app_context():
        started = time.perf_counter()
        recompute_all(db.session)
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds
