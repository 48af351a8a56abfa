"""What the analytics refresh and the feature store promise beyond single figures.

Two refreshes at once leave the same rows as one; a feature snapshot as of a
day does not change when activity after that day arrives (no leakage).
"""

import csv
import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from tests import factories as f
from tests.reports import dataset
from webapp.extensions import db
from webapp.models import DailyMetric, LearnerDay, User
from webapp.services.analytics import features
from webapp.services.analytics.rollups import refresh

SPAN = (dataset.START - timedelta(days=1), dataset.AS_OF)
TODAY = dataset.AS_OF + timedelta(days=1)


def rollup_rows(session) -> dict[str, list]:
    session.expire_all()
    out = {}
    for model in (DailyMetric, LearnerDay):
        cols = [c for c in model.__table__.columns if c.name not in {"id", "computed_at"}]
        out[model.__tablename__] = sorted(tuple(map(str, row)) for row in session.execute(select(*cols)))
    return out


def test_two_refreshes_at_once_leave_what_one_leaves(session):
    dataset.build(session)
    refresh(db.engine, *SPAN, today=TODAY)
    expected = rollup_rows(session)
    session.commit()
    for model in (DailyMetric, LearnerDay):
        session.execute(model.__table__.delete())
    session.commit()

    engine, errors = db.engine, []

    def run() -> None:
        try:
            refresh(engine, *SPAN, today=TODAY)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rollup_rows(session) == expected


def test_features_as_of_a_day_ignore_later_activity(session):
    ds = dataset.build(session)
    as_of = date(2024, 2, 1)
    refresh(db.engine, *SPAN, today=TODAY)
    before = features.compute(session, as_of)
    assert before, "the dataset has activity before the as-of date"

    # Activity after the as-of day: sessions, focus and quizzes of a learner who already has features.
    learner = session.get(User, ds.learners["asha"])
    later = datetime(2024, 2, 3, 9, 0, tzinfo=UTC)
    for k in range(5):
        started = later + timedelta(days=k)
        row = f.make_session(
            session, user=learner, started_at=started, ended_at=started + timedelta(minutes=50),
            duration_seconds=3000,
        )  # fmt: skip
        f.make_focus_metrics(session, session=row, focus_score=12.0)
        f.make_quiz_attempt(session, user=learner, started_at=started, correct_count=0, score=0.0)
    session.commit()
    refresh(db.engine, *SPAN, today=TODAY)

    assert features.compute(session, as_of) == before


def test_features_command_exports_csv(runner, session, tmp_path):
    dataset.build(session)
    refresh(db.engine, *SPAN, today=TODAY)
    out = tmp_path / "features.csv"
    result = runner.invoke(args=["analytics", "features", "--as-of", "2024-02-01", "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert list(rows[0]) == ["user_id", *features.FEATURES]
    expected = {r["user_id"]: r for r in features.compute(session, date(2024, 2, 1))}
    assert {int(r["user_id"]) for r in rows} == set(expected)


def test_features_command_refuses_a_bad_date(runner):
    result = runner.invoke(args=["analytics", "features", "--as-of", "yesterday"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output
