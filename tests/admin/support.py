"""Helpers for the admin tests: signed-in clients per role and one row of every model."""

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests import factories as f
from tests.helpers import DEFAULT_PASSWORD, csrf_token_from, login
from webapp.extensions import db
from webapp.models.core.enums import Role

STAFF_FACTORIES: dict[str, Callable[..., Any]] = {
    "teacher": f.make_teacher,
    "operator": f.make_operator,
    "admin": f.make_admin,
}

# One factory per model, so that details and edit pages open a real row.
ROW_FACTORIES: dict[str, Callable[..., Any]] = {
    "UserProfile": f.make_profile,
    "DailyLogin": f.make_daily_login,
    "LearningSession": f.make_session,
    "SessionEvent": f.make_event,
    "AttentionSpan": f.make_attention_span,
    "FocusMetrics": f.make_focus_metrics,
    "BehaviorEvent": f.make_behavior_event,
    "UserEngagementProfile": f.make_engagement_profile,
    "UserStreak": f.make_streak,
    "StreakActivity": f.make_streak_activity,
    "StreakFreeze": f.make_streak_freeze,
    "Badge": f.make_badge,
    "UserBadge": f.make_user_badge,
    "StreakMilestone": f.make_streak_milestone,
    "UserPoints": f.make_user_points,
    "PointsTransaction": f.make_points_transaction,
    "Leaderboard": f.make_leaderboard,
    "LeaderboardEntry": f.make_leaderboard_entry,
    "Duel": f.make_duel,
    "DuelParticipant": f.make_duel_participant,
    "Skill": f.make_skill,
    "SkillMastery": f.make_mastery,
    "LearningPath": f.make_path,
    "PathModule": f.make_path_module,
    "QuizAttempt": f.make_quiz_attempt,
    "AssessmentResult": f.make_assessment_result,
    "LearningPreference": f.make_learning_preference,
    "ContentPreference": f.make_content_preference,
    "UserConnection": f.make_connection,
    "StudyGroup": f.make_group,
    "GroupMember": f.make_member,
    "SocialActivity": f.make_social_activity,
    "ActivityFeed": f.make_feed_item,
    "NotificationTemplate": f.make_template,
    "Notification": f.make_notification,
    "NotificationPreference": f.make_notification_preference,
    "DailyMetric": f.make_daily_metric,
    "HourlyMetric": f.make_hourly_metric,
    "LearnerDay": f.make_learner_day,
    "LearnerFeatureSnapshot": f.make_feature_snapshot,
    "ReportDefinition": f.make_report,
    "AuditEntry": f.make_audit_entry,
}


def staff_client(app: Flask, session, role: str, **kw) -> tuple[FlaskClient, Any]:
    """A client signed in as a new staff member of role; returns (client, user)."""
    user = STAFF_FACTORIES[role](session, **kw)
    session.commit()
    client = app.test_client()
    response = login(client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 302, f"{role} could not log in"
    return client, user


def token(client: FlaskClient, page: str = "/login") -> str:
    """A CSRF token valid for this client's session."""
    return csrf_token_from(client.get(page).get_data(as_text=True))


def admin_views(app: Flask) -> list[Any]:
    """Every model view of the app's Flask-Admin."""
    (admin,) = app.extensions["admin"]
    return [v for v in admin._views if hasattr(v, "model")]


def one_row_each(session) -> dict[str, str]:
    """Create one row of every model; return {model name: primary key as text}."""
    rows = {name: factory(session) for name, factory in ROW_FACTORIES.items()}
    learner = f.make_learner(session)
    staff = f.make_user(session, Role.TEACHER, password=DEFAULT_PASSWORD)
    session.commit()
    keys = {name: str(db.inspect(row).identity[0]) for name, row in rows.items()}
    keys["Learner"] = str(learner.id)
    keys["StaffAccount"] = str(staff.id)
    return keys
