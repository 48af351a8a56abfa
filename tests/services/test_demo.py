"""The demo seed: deterministic, refuses to overwrite, resets, and agrees with the rules engine."""

import hashlib
from datetime import date

from sqlalchemy import func, select, text

from webapp.extensions import db
from webapp.models import (
    LeaderboardEntry,
    LearningSession,
    QuizAttempt,
    SessionEvent,
    SkillMastery,
    User,
    UserBadge,
    UserPoints,
    UserStreak,
    metadata,
)
from webapp.models.core.enums import Role
from webapp.services.demo import SIZES, seed_demo
from webapp.services.demo.database import DEFERRED_INDEX_TABLES
from webapp.services.recompute import recompute_all

END = date(2025, 3, 31)
SEED_ARGS = ["demo", "seed", "--size", "tiny", "--end-date", END.isoformat()]
# Salted by design (scrypt), so never equal twice; everything else must be.
VOLATILE = {"password_hash"}
# The rules engine stamps its own rows with the wall clock when it writes them (rule badges
# too: their awarded_at is the moment of the evaluation, not a moment of the demo period).
DERIVED_TABLES = {
    "user_points",
    "user_streaks",
    "streak_activities",
    "user_badges",
    "leaderboard_entries",
    "skill_masteries",
    "user_engagement_profiles",
    "points_transactions",
    "streak_freezes",
}
BOOKKEEPING = {"updated_at", "computed_at", "created_at", "awarded_at"}
DERIVED = [UserStreak, UserPoints, UserBadge, LeaderboardEntry, SkillMastery]


def digests(session) -> dict[str, str]:
    """A digest of every table's rows, in primary-key order."""
    result = {}
    for table in metadata.sorted_tables:
        skip = VOLATILE | (BOOKKEEPING if table.name in DERIVED_TABLES else set())
        columns = [c for c in table.columns if c.name not in skip]
        rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        result[table.name] = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
    return result


def snapshot(session) -> dict[str, list]:
    """The derived state, without surrogate ids (a rebuild may renumber rows)."""
    session.expire_all()
    shots = {}
    for model in DERIVED:
        columns = [c for c in model.__table__.columns if c.name != "id"]
        shots[model.__tablename__] = sorted(map(tuple, session.execute(select(*columns)).all()), key=repr)
    return shots


def seed(runner, *extra: str):
    result = runner.invoke(args=[*SEED_ARGS, *extra])
    return result


def test_seed_writes_a_believable_tiny_demo(runner, session):
    result = seed(runner)
    assert result.exit_code == 0, result.output
    assert "demo-admin-1234" in result.output
    assert "rows/s" in result.output
    learners = session.scalar(select(func.count()).select_from(User).where(User.role == Role.LEARNER))
    assert learners == SIZES["tiny"].learners
    staff = session.scalars(select(User.role).where(User.password_hash.is_not(None))).all()
    assert sorted(staff) == ["admin", "operator", "teacher", "teacher"]
    assert session.scalar(select(func.count()).select_from(SessionEvent)) > 500
    zones = set(session.scalars(select(User.timezone).where(User.role == Role.LEARNER)))
    assert "Asia/Kolkata" in zones


def test_same_seed_gives_the_same_data_and_reset_replaces_it(runner, session):
    assert seed(runner, "--seed", "7").exit_code == 0
    first = digests(session)
    result = seed(runner, "--seed", "7", "--reset")
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert digests(session) == first
    assert seed(runner, "--seed", "8", "--reset").exit_code == 0
    other = digests(session)
    assert other["session_events"] != first["session_events"]


def test_refuses_to_write_over_learners_without_reset(runner, session):
    assert seed(runner).exit_code == 0
    before = session.scalar(select(func.count()).select_from(LearningSession))
    result = seed(runner)
    assert result.exit_code != 0
    assert "--reset" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert session.scalar(select(func.count()).select_from(LearningSession)) == before


def test_if_empty_skips_and_still_prints_the_logins(runner):
    assert seed(runner).exit_code == 0
    result = seed(runner, "--if-empty")
    assert result.exit_code == 0
    assert "not seeding" in result.output
    assert "admin@demo.shikshadisha.in" in result.output


def test_reset_and_if_empty_together_are_a_usage_error(runner):
    assert seed(runner, "--reset", "--if-empty").exit_code == 2


def test_ids_continue_after_the_seed(runner, session):
    assert seed(runner).exit_code == 0
    user = User(email="new@example.org", display_name="New", role=Role.LEARNER)
    session.add(user)
    session.commit()
    assert user.id > SIZES["tiny"].learners


def test_raw_rows_satisfy_the_constraints(runner, session):
    """The seed loads with foreign-key checks off for speed (SQLite, and PostgreSQL as a superuser),
    so check every reference afterwards; unique and check constraints stay on during the load."""
    assert seed(runner).exit_code == 0
    if session.get_bind().dialect.name == "sqlite":
        assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            child, target = fk.parent, fk.column
            parent = target.table.alias("parent").c[target.name]
            orphans = session.scalar(
                select(func.count())
                .select_from(table)
                .where(child.is_not(None), ~select(parent).where(parent == child).exists())
            )
            assert orphans == 0, f"{table.name}.{child.name} -> {target.table.name}"


def test_several_processes_write_the_same_rows_as_one(runner, session):
    result = seed(runner, "--seed", "5", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "processes)" not in result.output
    one = digests(session)
    result = seed(runner, "--seed", "5", "--workers", "3", "--reset")
    assert result.exit_code == 0, result.output
    assert "(3 processes)" in result.output
    session.expire_all()
    assert digests(session) == one
    # Numbering goes on after the seed's ids, in both cases.
    user = User(email="after@example.org", display_name="After", role=Role.LEARNER)
    session.add(user)
    session.commit()
    assert user.id > SIZES["tiny"].learners


def test_quiz_scores_improve_with_practice(app, session):
    seed_demo(session, "small", 3, END, derive=False)
    rows = session.execute(
        select(QuizAttempt.user_id, QuizAttempt.started_at, QuizAttempt.score).order_by(
            QuizAttempt.started_at
        )
    ).all()
    by_learner: dict[int, list[float]] = {}
    for user_id, _, score in rows:
        by_learner.setdefault(user_id, []).append(score)
    firsts = [scores[0] for scores in by_learner.values() if len(scores) >= 6]
    lasts = [scores[-1] for scores in by_learner.values() if len(scores) >= 6]
    assert sum(lasts) / len(lasts) > sum(firsts) / len(firsts) + 5


def test_derived_state_equals_a_recompute_of_the_raw_activity(runner, session):
    assert seed(runner).exit_code == 0
    seeded = snapshot(session)
    assert seeded["user_streaks"]
    assert seeded["leaderboard_entries"]
    assert seeded["skill_masteries"]
    recompute_all(session, since=None, today=END)
    session.commit()
    assert snapshot(session) == seeded


def _raw(session) -> dict[str, list]:
    """The raw activity of every learner by their platform id, without row ids."""
    ls = LearningSession
    query = select(
        User.external_id, ls.started_at, ls.ended_at, ls.duration_seconds, ls.local_day, ls.local_hour
    )
    sessions = sorted(session.execute(query.join(User, User.id == ls.user_id)).all())
    quizzes = sorted(session.execute(
        select(User.external_id, QuizAttempt.started_at, QuizAttempt.submitted_at, QuizAttempt.score,
               QuizAttempt.local_day).join(User, User.id == QuizAttempt.user_id)
    ).all())  # fmt: skip
    logins = sorted(session.execute(text(
        "SELECT u.external_id, d.day, d.login_count FROM daily_logins d JOIN users u ON u.id = d.user_id"
    )).all())  # fmt: skip
    events = session.scalar(select(func.count()).select_from(SessionEvent))
    return {"sessions": sessions, "quizzes": quizzes, "logins": logins, "events": [events]}


def test_the_demo_sent_through_the_api_stores_the_same_activity(runner, session):
    assert seed(runner).exit_code == 0
    direct = _raw(session)
    result = seed(runner, "--reset", "--via-api")
    assert result.exit_code == 0, result.output
    assert "sent through the API:" in result.output
    assert _raw(session) == direct  # same rows, same learner-local days, now written by the API
    sent = session.scalar(
        select(func.count()).select_from(LearningSession).where(LearningSession.external_id.is_not(None))
    )
    assert sent == len(direct["sessions"]) > 0
    clients = session.execute(text("SELECT is_active FROM api_clients")).scalars().all()
    assert clients == [False]  # the temporary client is revoked once the seed is done


def _indexes() -> set[str]:
    """The index names in the database's own catalogue."""
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if db.engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
    )
    with db.engine.connect() as conn:
        return set(conn.scalars(text(sql)))


def test_the_seed_leaves_every_index_of_the_raw_tables_in_place(runner, session):
    """SQLite builds the raw tables' secondary indexes after the load, and one missing (as a seed
    killed mid-load leaves it) comes back with the next seed; PostgreSQL keeps them throughout."""
    wanted = {
        ix.name for name in DEFERRED_INDEX_TABLES for ix in metadata.tables[name].indexes if not ix.unique
    }
    assert "ix_session_events_user_occurred" in wanted
    assert seed(runner).exit_code == 0
    assert wanted <= _indexes()
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_session_events_user_occurred")
    assert "ix_session_events_user_occurred" not in _indexes()
    assert seed(runner, "--reset").exit_code == 0
    assert wanted <= _indexes()
