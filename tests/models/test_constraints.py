"""Each constraint of the schema refuses a bad row in the database itself, on both backends."""

from datetime import timedelta

import pytest
from sqlalchemy import Enum as SAEnum
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from tests import factories as f
from tests.models.catalog import CASES
from webapp import models
from webapp.models import (
    Badge,
    DailyLogin,
    LearningSession,
    Skill,
    User,
    metadata,
)
from webapp.models.core.enums import FreezeStatus, LeaderboardScope, NotificationStatus

D = f.today()


def uq(table, *columns):
    name = f"uq_{table}_{'_'.join(columns)}"
    return name, "UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns)


def ck(table, name):
    return f"ck_{table}_{name}", f"CHECK constraint failed: ck_{table}_{name}"


def fk(table, column, referred):
    return f"fk_{table}_{column}_{referred}", "FOREIGN KEY constraint failed"


def twice(factory, **kw):
    """Build the same row twice: the second must clash on a unique constraint."""

    def build(s):
        shared = {k: (v(s) if callable(v) else v) for k, v in kw.items()}
        factory(s, **shared)
        factory(s, **shared)

    return build


def one(factory, **kw):
    return lambda s: factory(s, **kw)


def _learner(s):
    return f.make_learner(s)


def _twice_by_id(factory, name, parent_factory):
    """Two rows pointing at one parent by id, both by the parent's learner."""

    def build(s):
        parent = parent_factory(s)
        for _ in range(2):
            factory(s, **{f"{name}_id": parent.id, "user_id": parent.user_id})

    return build


UNIQUE = {
    "users.email_any_case": (
        lambda s: [f.make_learner(s, email="Dup@Example.org"), f.make_learner(s, email="dup@example.org")],
        ("uq_users_email_lower", "UNIQUE constraint failed: index 'uq_users_email_lower'"),
    ),
    "daily_logins.user_day": (
        twice(f.make_daily_login, user=_learner, day=D),
        uq("daily_logins", "user_id", "day"),
    ),
    "streak_activities.user_day": (
        twice(f.make_streak_activity, user=_learner, day=D),
        uq("streak_activities", "user_id", "day"),
    ),
    "badges.slug": (twice(f.make_badge, slug="streak-7"), uq("badges", "slug")),
    "user_badges.user_badge": (
        twice(f.make_user_badge, user=_learner, badge=f.make_badge),
        uq("user_badges", "user_id", "badge_id"),
    ),
    "streak_milestones.days": (twice(f.make_streak_milestone, days=7), uq("streak_milestones", "days")),
    "points_transactions.idempotency_key": (
        twice(f.make_points_transaction, idempotency_key="quiz:1"),
        uq("points_transactions", "idempotency_key"),
    ),
    "leaderboards.name": (twice(f.make_leaderboard, name="Weekly"), uq("leaderboards", "name")),
    "leaderboard_entries.board_period_user": (
        twice(f.make_leaderboard_entry, leaderboard=f.make_leaderboard, user=_learner),
        uq("leaderboard_entries", "leaderboard_id", "period_start", "user_id"),
    ),
    "duel_participants.duel_user": (
        twice(f.make_duel_participant, duel=f.make_duel),
        uq("duel_participants", "duel_id", "user_id"),
    ),
    "skills.slug": (twice(f.make_skill, slug="fractions"), uq("skills", "slug")),
    "skill_masteries.user_skill": (
        twice(f.make_mastery, user=_learner, skill=f.make_skill),
        uq("skill_masteries", "user_id", "skill_id"),
    ),
    "learning_paths.slug": (twice(f.make_path, slug="algebra-1"), uq("learning_paths", "slug")),
    "path_modules.path_position": (
        twice(f.make_path_module, path=f.make_path, position=1),
        uq("path_modules", "path_id", "position"),
    ),
    "content_preferences.user_type": (
        twice(f.make_content_preference, user=_learner),
        uq("content_preferences", "user_id", "content_type"),
    ),
    # By ids: through the 1:1 relationship the ORM would detach the first row instead.
    "assessment_results.attempt": (
        _twice_by_id(f.make_assessment_result, "quiz_attempt", f.make_quiz_attempt),
        uq("assessment_results", "quiz_attempt_id"),
    ),
    "focus_metrics.session": (
        _twice_by_id(f.make_focus_metrics, "session", f.make_session),
        uq("focus_metrics", "session_id"),
    ),
    "user_connections.pair": (
        twice(f.make_connection, follower=_learner, followee=_learner),
        uq("user_connections", "follower_id", "followee_id"),
    ),
    "study_groups.name": (twice(f.make_group, name="Class 7B"), uq("study_groups", "name")),
    "group_members.group_user": (
        twice(f.make_member, group=f.make_group, user=_learner),
        uq("group_members", "group_id", "user_id"),
    ),
    "activity_feeds.recipient_activity": (
        twice(f.make_feed_item, recipient=_learner, activity=f.make_social_activity),
        uq("activity_feeds", "recipient_id", "activity_id"),
    ),
    "notification_preferences.user_channel_category": (
        twice(f.make_notification_preference, user=_learner),
        uq("notification_preferences", "user_id", "channel", "category"),
    ),
    "notification_templates.key_channel_locale": (
        twice(f.make_template, key="streak_reminder"),
        uq("notification_templates", "key", "channel", "locale"),
    ),
    "daily_metrics.day_scope": (twice(f.make_daily_metric), uq("daily_metrics", "day", "scope")),
    "hourly_metrics.day_scope_hour": (
        twice(f.make_hourly_metric),
        uq("hourly_metrics", "day", "scope", "hour"),
    ),
    "learner_days.user_day": (twice(f.make_learner_day, user=_learner), uq("learner_days", "user_id", "day")),
    "learner_feature_snapshots.user_set_as_of": (
        twice(f.make_feature_snapshot, user=_learner),
        uq("learner_feature_snapshots", "user_id", "feature_set", "as_of"),
    ),
    "report_definitions.owner_name": (
        twice(f.make_report, owner=f.make_teacher, name="Mine"),
        uq("report_definitions", "owner_id", "name"),
    ),
}


def _self_duel(s):
    learner = f.make_learner(s)
    f.make_duel(s, challenger=learner, opponent=learner)


def _outside_winner(s):
    f.make_duel(s, winner=f.make_learner(s))


def _self_connection(s):
    learner = f.make_learner(s)
    f.make_connection(s, follower=learner, followee=learner)


def _own_parent(s):
    skill = f.make_skill(s)
    skill.parent_id = skill.id
    s.flush()


def _before(a, b):
    """Times where field `b` comes an hour before field `a`."""
    at = f.now()
    return {a: at, b: at - timedelta(hours=1)}


CHECK = {
    "learner with a password hash": (
        one(f.make_learner, password_hash="x"),
        ck("users", "learner_no_password"),
    ),
    "negative session_version": (
        one(f.make_learner, session_version=-1),
        ck("users", "session_version_non_negative"),
    ),
    "grade 13 profile": (one(f.make_profile, grade_level=13), ck("user_profiles", "grade_range")),
    "zero logins": (one(f.make_daily_login, login_count=0), ck("daily_logins", "login_count_positive")),
    "last login before first": (
        one(f.make_daily_login, **_before(a="first_login_at", b="last_login_at")),
        ck("daily_logins", "login_order"),
    ),
    "negative duration": (
        one(f.make_session, duration_seconds=-1),
        ck("learning_sessions", "duration_non_negative"),
    ),
    "session ends before start": (
        one(f.make_session, **_before(a="started_at", b="ended_at")),
        ck("learning_sessions", "ends_after_start"),
    ),
    "span ends before start": (
        one(f.make_attention_span, **_before(a="started_at", b="ended_at")),
        ck("attention_spans", "ends_after_start"),
    ),
    "negative focus seconds": (
        one(f.make_attention_span, focus_seconds=-1),
        ck("attention_spans", "focus_non_negative"),
    ),
    "negative interruptions": (
        one(f.make_attention_span, interruptions=-1),
        ck("attention_spans", "interruptions_non_negative"),
    ),
    "focus score 101": (one(f.make_focus_metrics, focus_score=101), ck("focus_metrics", "focus_score_range")),
    "negative avg span": (
        one(f.make_focus_metrics, avg_span_seconds=-1),
        ck("focus_metrics", "avg_span_non_negative"),
    ),
    "negative longest span": (
        one(f.make_focus_metrics, longest_span_seconds=-1),
        ck("focus_metrics", "longest_span_non_negative"),
    ),
    "negative distractions": (
        one(f.make_focus_metrics, distraction_count=-1),
        ck("focus_metrics", "distractions_non_negative"),
    ),
    "negative avg minutes": (
        one(f.make_engagement_profile, avg_session_minutes=-1),
        ck("user_engagement_profiles", "avg_minutes_non_negative"),
    ),
    "hour 24": (
        one(f.make_engagement_profile, preferred_hour=24),
        ck("user_engagement_profiles", "hour_range"),
    ),
    "31 active days in 30": (
        one(f.make_engagement_profile, active_days_30=31),
        ck("user_engagement_profiles", "active_days_range"),
    ),
    "negative sessions_30": (
        one(f.make_engagement_profile, sessions_30=-1),
        ck("user_engagement_profiles", "sessions_non_negative"),
    ),
    "churn risk 1.5": (
        one(f.make_engagement_profile, churn_risk=1.5),
        ck("user_engagement_profiles", "churn_risk_range"),
    ),
    "negative streak": (
        one(f.make_streak, current_length=-1, longest_length=0),
        ck("user_streaks", "current_non_negative"),
    ),
    "longest below current": (
        one(f.make_streak, current_length=5, longest_length=3),
        ck("user_streaks", "longest_at_least_current"),
    ),
    "three freezes equipped": (one(f.make_streak, freezes_equipped=3), ck("user_streaks", "freezes_range")),
    "used freeze without day": (
        one(f.make_streak_freeze, status=FreezeStatus.USED),
        ck("streak_freezes", "used_iff_used_on"),
    ),
    "equipped freeze with day": (
        one(f.make_streak_freeze, used_on=D),
        ck("streak_freezes", "used_iff_used_on"),
    ),
    "badge threshold 0": (one(f.make_badge, criteria_threshold=0), ck("badges", "threshold_positive")),
    "negative badge reward": (
        one(f.make_badge, points_reward=-1),
        ck("badges", "points_reward_non_negative"),
    ),
    "milestone of 0 days": (one(f.make_streak_milestone, days=0), ck("streak_milestones", "days_positive")),
    "negative milestone points": (
        one(f.make_streak_milestone, points=-5),
        ck("streak_milestones", "points_non_negative"),
    ),
    "negative lifetime points": (
        one(f.make_user_points, lifetime_earned=-1),
        ck("user_points", "lifetime_non_negative"),
    ),
    "ledger amount 0": (
        one(f.make_points_transaction, amount=0),
        ck("points_transactions", "amount_non_zero"),
    ),
    "group board without group": (
        one(f.make_leaderboard, scope=LeaderboardScope.STUDY_GROUP),
        ck("leaderboards", "scope_matches_group"),
    ),
    "global board with group": (
        lambda s: f.make_leaderboard(s, scope=LeaderboardScope.GLOBAL, study_group=f.make_group(s)),
        ck("leaderboards", "scope_matches_group"),
    ),
    "rank 0": (one(f.make_leaderboard_entry, rank=0), ck("leaderboard_entries", "rank_positive")),
    "previous rank 0": (
        one(f.make_leaderboard_entry, previous_rank=0),
        ck("leaderboard_entries", "previous_rank_positive"),
    ),
    "self-duel": (_self_duel, ck("duels", "no_self_duel")),
    "duel won by an outsider": (_outside_winner, ck("duels", "winner_is_participant")),
    "duel ends before start": (
        one(f.make_duel, **_before(a="started_at", b="ended_at")),
        ck("duels", "ends_after_start"),
    ),
    "negative duel score": (
        one(f.make_duel_participant, score=-1),
        ck("duel_participants", "score_non_negative"),
    ),
    "skill its own parent": (_own_parent, ck("skills", "not_own_parent")),
    "mastery 1.5": (one(f.make_mastery, mastery=1.5), ck("skill_masteries", "mastery_range")),
    "mastery -0.1": (one(f.make_mastery, mastery=-0.1), ck("skill_masteries", "mastery_range")),
    "negative attempts": (one(f.make_mastery, attempts=-1), ck("skill_masteries", "attempts_non_negative")),
    "path for grade 0": (one(f.make_path, grade_level=0), ck("learning_paths", "grade_range")),
    "module position 0": (one(f.make_path_module, position=0), ck("path_modules", "position_positive")),
    "module of 0 minutes": (
        one(f.make_path_module, estimated_minutes=0),
        ck("path_modules", "minutes_positive"),
    ),
    "quiz max score 0": (
        one(f.make_quiz_attempt, score=0, max_score=0),
        ck("quiz_attempts", "max_score_positive"),
    ),
    "quiz score above max": (one(f.make_quiz_attempt, score=101), ck("quiz_attempts", "score_range")),
    "quiz of 0 questions": (
        one(f.make_quiz_attempt, total_questions=0, correct_count=0),
        ck("quiz_attempts", "total_positive"),
    ),
    "11 correct of 10": (one(f.make_quiz_attempt, correct_count=11), ck("quiz_attempts", "correct_range")),
    "negative quiz time": (
        one(f.make_quiz_attempt, time_spent_seconds=-1),
        ck("quiz_attempts", "time_non_negative"),
    ),
    "submitted before start": (
        one(f.make_quiz_attempt, **_before(a="started_at", b="submitted_at")),
        ck("quiz_attempts", "submitted_after_start"),
    ),
    "assessment 101 percent": (
        one(f.make_assessment_result, percent=101),
        ck("assessment_results", "percent_range"),
    ),
    "daily goal 0 minutes": (
        one(f.make_learning_preference, daily_goal_minutes=0),
        ck("learning_preferences", "daily_goal_range"),
    ),
    "affinity 1.5": (
        one(f.make_content_preference, affinity=1.5),
        ck("content_preferences", "affinity_range"),
    ),
    "self-connection": (_self_connection, ck("user_connections", "no_self_connection")),
    "read without read_at": (
        one(f.make_notification, status=NotificationStatus.READ),
        ck("notifications", "read_has_read_at"),
    ),
    "quiet hours from 24": (
        one(f.make_notification_preference, quiet_hours_start=24),
        ck("notification_preferences", "quiet_start_range"),
    ),
    "quiet hours to -1": (
        one(f.make_notification_preference, quiet_hours_end=-1),
        ck("notification_preferences", "quiet_end_range"),
    ),
    "weekly actives below daily": (
        one(f.make_daily_metric, weekly_active_learners=1),
        ck("daily_metrics", "actives_nested"),
    ),
    "negative rollup minutes": (
        one(f.make_daily_metric, learning_minutes=-1),
        ck("daily_metrics", "volumes_non_negative"),
    ),
    "rollup focus 101": (one(f.make_daily_metric, avg_focus_score=101), ck("daily_metrics", "focus_range")),
    "hourly hour 24": (one(f.make_hourly_metric, hour=24), ck("hourly_metrics", "hour_range")),
    "negative learner-day sessions": (
        one(f.make_learner_day, sessions=-1),
        ck("learner_days", "volumes_non_negative"),
    ),
    "feature version 0": (
        one(f.make_feature_snapshot, version=0),
        ck("learner_feature_snapshots", "version_positive"),
    ),
    "login of unknown learner": (
        one(f.make_daily_login, user_id=987654),
        fk("daily_logins", "user_id", "users"),
    ),
    "mastery of unknown skill": (
        one(f.make_mastery, skill_id=987654),
        fk("skill_masteries", "skill_id", "skills"),
    ),
}

CONSTRAINTS = {**UNIQUE, **CHECK}


def assert_violates(exc_info, session, names):
    pg_name, sqlite_message = names
    message = str(exc_info.value.orig)
    if session.get_bind().dialect.name == "postgresql":
        assert f'"{pg_name}"' in message
    else:
        assert sqlite_message in message


@pytest.mark.parametrize(("build", "names"), CONSTRAINTS.values(), ids=CONSTRAINTS.keys())
def test_constraint_refuses_bad_row(session, build, names):
    with pytest.raises(IntegrityError) as exc_info:
        build(session)
    assert_violates(exc_info, session, names)


def _enum_columns():
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, SAEnum):
                yield table.name, column.name, column.type.name


FACTORY_BY_TABLE = {getattr(models, case.name).__tablename__: case.factory for case in CASES}


@pytest.mark.parametrize(
    ("table", "column", "enum_name"),
    [c for c in _enum_columns() if c[0] in FACTORY_BY_TABLE],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_enum_value_outside_the_list_is_refused_by_the_database(session, table, column, enum_name):
    row = FACTORY_BY_TABLE[table](session)
    key = {c.name: getattr(row, c.key) for c in row.__table__.primary_key.columns}
    where = " AND ".join(f"{name} = :{name}" for name in key)
    with pytest.raises(IntegrityError) as exc_info:
        session.execute(text(f"UPDATE {table} SET {column} = 'not_a_value' WHERE {where}"), key)  # noqa: S608
    assert_violates(exc_info, session, ck(table, enum_name))


def test_enum_value_outside_the_list_is_refused_before_sql(session):
    session.add(User(email="w@example.org", display_name="W", role="wizard"))
    with pytest.raises(StatementError, match="wizard"):
        session.flush()


def test_deleting_a_held_badge_is_restricted(session):
    held = f.make_user_badge(session)
    with pytest.raises(IntegrityError) as exc_info:
        session.execute(delete(Badge).where(Badge.id == held.badge_id))
    assert_violates(exc_info, session, fk("user_badges", "badge_id", "badges"))


def test_deleting_a_learner_cascades_and_deleting_a_skill_sets_null(session):
    skill = f.make_skill(session)
    sitting = f.make_session(session, skill=skill)
    f.make_daily_login(session, user=sitting.user)
    learner_id, sitting_id = sitting.user_id, sitting.id
    session.commit()

    session.execute(delete(Skill).where(Skill.id == skill.id))
    session.commit()
    assert session.get(LearningSession, sitting_id).skill_id is None

    session.execute(delete(User).where(User.id == learner_id))
    session.commit()
    assert session.scalars(select(DailyLogin)).all() == []
    assert session.scalars(select(LearningSession)).all() == []
