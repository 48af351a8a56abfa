"""Small factories for test data: one `make_*` per model.

Each factory builds a valid row with sensible defaults, unique where the
schema asks for uniqueness, adds it to the session, flushes and returns it.
Any column or relationship can be overridden by keyword; missing parents
(the learner, the skill, the group...) are made on the fly.

Times default to "now" in UTC (sessions and attempts just before it), local
days to today's UTC date: pass `day=` explicitly when a learner needs rows on
several days.
"""

import hashlib
import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from webapp.models import (
    PLATFORM_SCOPE,
    ActivityFeed,
    ApiClient,
    AssessmentResult,
    AttentionSpan,
    AuditEntry,
    Badge,
    BehaviorEvent,
    ChangeMark,
    ContentPreference,
    ContentTypeMetric,
    DailyLogin,
    DailyMetric,
    Duel,
    DuelParticipant,
    FocusMetrics,
    GroupMember,
    HourlyMetric,
    IngestReceipt,
    JobRun,
    Leaderboard,
    LeaderboardEntry,
    LearnerDay,
    LearnerFeatureSnapshot,
    LearnerRiskFlag,
    LearningPath,
    LearningPreference,
    LearningSession,
    LoginFailure,
    Notification,
    NotificationPreference,
    NotificationTemplate,
    PathEnrolment,
    PathModule,
    PointsReasonMetric,
    PointsTransaction,
    QuizAttempt,
    ReportDefinition,
    RetentionCohort,
    RiskEvaluation,
    SessionEvent,
    Skill,
    SkillMastery,
    SocialActivity,
    StreakActivity,
    StreakFreeze,
    StreakMilestone,
    StudyGroup,
    User,
    UserBadge,
    UserConnection,
    UserEngagementProfile,
    UserPoints,
    UserProfile,
    UserStreak,
)
from webapp.models.core.enums import (
    ApiScope,
    AuditAction,
    BadgeMetric,
    Channel,
    ContentType,
    FreezeOrigin,
    GroupRole,
    JobStatus,
    LeaderboardPeriod,
    LeaderboardScope,
    NotificationCategory,
    PointsReason,
    Role,
    SessionEventType,
    StreakSource,
)

DEFAULT_PASSWORD = "correct horse battery staple"

_seq = itertools.count(1)


def next_id() -> int:
    """Return a number never returned before in this test run."""
    return next(_seq)


def now() -> datetime:
    """Return the current aware UTC time, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    """Return today's date in UTC."""
    return datetime.now(UTC).date()


@cache
def hash_password(password: str) -> str:
    """Hash a password once per distinct value (hashing is slow on purpose)."""
    return generate_password_hash(password)


def _save(session: Session, model: type, defaults: dict[str, Any], kw: dict[str, Any]) -> Any:
    row = model(**{**defaults, **kw})
    session.add(row)
    session.flush()
    return row


def _parent(session: Session, kw: dict[str, Any], name: str, factory: Callable[..., Any]) -> None:
    """Make the parent `name` unless the caller gave it or its `<name>_id`."""
    if name not in kw and f"{name}_id" not in kw:
        kw[name] = factory(session)


# users ---------------------------------------------------------------------------------


def make_user(session: Session, /, role: Role = Role.LEARNER, password: str | None = None, **kw) -> User:
    """A user of any role; staff get a password hash when a password is given."""
    n = next_id()
    defaults = {"email": f"{role.value}{n}@example.org", "display_name": f"{role.value.title()} {n}"}
    if password is not None:
        defaults["password_hash"] = hash_password(password)
    return _save(session, User, {**defaults, "role": role}, kw)


def make_learner(session: Session, /, **kw) -> User:
    """A learner (no password: learners never log in here)."""
    return make_user(session, Role.LEARNER, **kw)


def make_teacher(session: Session, /, password: str = DEFAULT_PASSWORD, **kw) -> User:
    """A teacher who can log in with `password`."""
    return make_user(session, Role.TEACHER, password=password, **kw)


def make_operator(session: Session, /, password: str = DEFAULT_PASSWORD, **kw) -> User:
    """An operator who can log in with `password`."""
    return make_user(session, Role.OPERATOR, password=password, **kw)


def make_admin(session: Session, /, password: str = DEFAULT_PASSWORD, **kw) -> User:
    """An admin who can log in with `password`."""
    return make_user(session, Role.ADMIN, password=password, **kw)


def make_profile(session: Session, /, **kw) -> UserProfile:
    """A learner's profile."""
    _parent(session, kw, "user", make_learner)
    return _save(session, UserProfile, {"grade_level": 7, "school": "Govt. School No. 1"}, kw)


# engagement ----------------------------------------------------------------------------


def make_daily_login(session: Session, /, **kw) -> DailyLogin:
    """A learner's logins on one local day (today unless `day=` is given)."""
    _parent(session, kw, "user", make_learner)
    at = now()
    defaults = {"day": today(), "first_login_at": at, "last_login_at": at, "login_count": 1}
    return _save(session, DailyLogin, defaults, kw)


def make_session(session: Session, /, **kw) -> LearningSession:
    """A finished 20-minute learning session that ended ten minutes ago."""
    _parent(session, kw, "user", make_learner)
    started = kw.get("started_at") or now() - timedelta(minutes=30)
    defaults = {
        "started_at": started,
        "ended_at": started + timedelta(minutes=20),
        "duration_seconds": 1200,
        "content_type": ContentType.VIDEO,
        "is_completed": True,
    }
    return _save(session, LearningSession, defaults, kw)


def make_event(session: Session, /, **kw) -> SessionEvent:
    """An event inside a learning session, by the session's learner."""
    _parent(session, kw, "session", make_session)
    learning_session = kw.get("session")
    defaults: dict[str, Any] = {"event_type": SessionEventType.VIDEO_PLAY, "payload": {"position": 12}}
    if learning_session is not None and "user" not in kw and "user_id" not in kw:
        defaults["user"] = learning_session.user
        defaults["occurred_at"] = learning_session.started_at + timedelta(minutes=1)
    defaults.setdefault("occurred_at", now())
    return _save(session, SessionEvent, defaults, kw)


make_session_event = make_event


def make_attention_span(session: Session, /, **kw) -> AttentionSpan:
    """A five-minute focused stretch at the start of a session."""
    _parent(session, kw, "session", make_session)
    learning_session = kw.get("session")
    started = kw.get("started_at") or (learning_session.started_at if learning_session else now())
    defaults: dict[str, Any] = {
        "started_at": started,
        "ended_at": started + timedelta(minutes=5),
        "focus_seconds": 300,
        "interruptions": 1,
    }
    if learning_session is not None and "user" not in kw and "user_id" not in kw:
        defaults["user"] = learning_session.user
    return _save(session, AttentionSpan, defaults, kw)


def make_focus_metrics(session: Session, /, **kw) -> FocusMetrics:
    """The focus summary of a session."""
    _parent(session, kw, "session", make_session)
    learning_session = kw.get("session")
    defaults: dict[str, Any] = {
        "focus_score": 72.5,
        "avg_span_seconds": 240.0,
        "longest_span_seconds": 420,
        "distraction_count": 3,
    }
    if learning_session is not None and "user" not in kw and "user_id" not in kw:
        defaults["user"] = learning_session.user
    return _save(session, FocusMetrics, defaults, kw)


def make_behavior_event(session: Session, /, **kw) -> BehaviorEvent:
    """A clickstream event."""
    _parent(session, kw, "user", make_learner)
    defaults = {"name": "button_click", "properties": {"button": "next"}, "occurred_at": now()}
    return _save(session, BehaviorEvent, defaults, kw)


def make_engagement_profile(session: Session, /, **kw) -> UserEngagementProfile:
    """A learner's derived engagement profile."""
    _parent(session, kw, "user", make_learner)
    defaults = {
        "avg_session_minutes": 18.5,
        "preferred_hour": 17,
        "active_days_30": 12,
        "sessions_30": 20,
        "churn_risk": 0.2,
    }
    return _save(session, UserEngagementProfile, defaults, kw)


# gamification --------------------------------------------------------------------------


def make_streak(session: Session, /, **kw) -> UserStreak:
    """A learner's streak: three days, longest five."""
    _parent(session, kw, "user", make_learner)
    defaults = {
        "current_length": 3,
        "longest_length": 5,
        "started_on": today() - timedelta(days=2),
        "last_active_on": today(),
        "freezes_equipped": 1,
    }
    return _save(session, UserStreak, defaults, kw)


def make_streak_activity(session: Session, /, **kw) -> StreakActivity:
    """A day that counted for a learner's streak (today unless `day=` is given)."""
    _parent(session, kw, "user", make_learner)
    return _save(session, StreakActivity, {"day": today(), "source": StreakSource.SESSION}, kw)


def make_streak_freeze(session: Session, /, **kw) -> StreakFreeze:
    """An equipped streak freeze."""
    _parent(session, kw, "user", make_learner)
    return _save(session, StreakFreeze, {"origin": FreezeOrigin.EARNED}, kw)


def make_badge(session: Session, /, **kw) -> Badge:
    """An active badge for a 7-day streak, with a unique slug."""
    n = next_id()
    defaults = {
        "slug": f"badge-{n}",
        "name": f"Badge {n}",
        "criteria_metric": BadgeMetric.STREAK_DAYS,
        "criteria_threshold": 7,
        "points_reward": 50,
    }
    return _save(session, Badge, defaults, kw)


def make_user_badge(session: Session, /, **kw) -> UserBadge:
    """A badge held by a learner."""
    _parent(session, kw, "user", make_learner)
    _parent(session, kw, "badge", make_badge)
    return _save(session, UserBadge, {}, kw)


def make_streak_milestone(session: Session, /, **kw) -> StreakMilestone:
    """A milestone with a unique number of days, awarding points."""
    return _save(session, StreakMilestone, {"days": 1000 + next_id(), "points": 25}, kw)


def make_user_points(session: Session, /, **kw) -> UserPoints:
    """A learner's points balance."""
    _parent(session, kw, "user", make_learner)
    return _save(session, UserPoints, {"balance": 120, "lifetime_earned": 150}, kw)


def make_points_transaction(session: Session, /, **kw) -> PointsTransaction:
    """A ledger entry of +10 points for a completed session, with a unique idempotency key."""
    _parent(session, kw, "user", make_learner)
    defaults = {
        "amount": 10,
        "reason": PointsReason.SESSION_COMPLETED,
        "source_type": "session",
        "source_id": str(next_id()),
        "idempotency_key": f"test:{next_id()}",
    }
    return _save(session, PointsTransaction, defaults, kw)


def make_leaderboard(session: Session, /, **kw) -> Leaderboard:
    """A weekly global points leaderboard with a unique name."""
    defaults = {
        "name": f"Leaderboard {next_id()}",
        "period": LeaderboardPeriod.WEEKLY,
        "scope": LeaderboardScope.GLOBAL,
    }
    if "study_group" in kw or "study_group_id" in kw:
        defaults["scope"] = LeaderboardScope.STUDY_GROUP
    return _save(session, Leaderboard, defaults, kw)


def make_leaderboard_entry(session: Session, /, **kw) -> LeaderboardEntry:
    """A learner ranked first on a leaderboard this week."""
    _parent(session, kw, "leaderboard", make_leaderboard)
    _parent(session, kw, "user", make_learner)
    monday = today() - timedelta(days=today().weekday())
    defaults = {"period_start": monday, "score": 100, "rank": 1, "previous_rank": 2}
    return _save(session, LeaderboardEntry, defaults, kw)


def make_duel(session: Session, /, **kw) -> Duel:
    """A pending duel between two new learners."""
    _parent(session, kw, "challenger", make_learner)
    _parent(session, kw, "opponent", make_learner)
    return _save(session, Duel, {}, kw)


def make_duel_participant(session: Session, /, **kw) -> DuelParticipant:
    """The challenger's side of a duel."""
    _parent(session, kw, "duel", make_duel)
    duel = kw.get("duel")
    if duel is not None and "user" not in kw and "user_id" not in kw:
        kw["user"] = duel.challenger
    _parent(session, kw, "user", make_learner)
    return _save(session, DuelParticipant, {"score": 3}, kw)


# learning ------------------------------------------------------------------------------


def make_skill(session: Session, /, **kw) -> Skill:
    """A maths skill with a unique slug."""
    n = next_id()
    return _save(session, Skill, {"slug": f"skill-{n}", "name": f"Skill {n}", "subject": "maths"}, kw)


def make_mastery(session: Session, /, **kw) -> SkillMastery:
    """A learner's mastery of a skill."""
    _parent(session, kw, "user", make_learner)
    _parent(session, kw, "skill", make_skill)
    defaults = {"mastery": 0.6, "attempts": 4, "last_practiced_at": now()}
    return _save(session, SkillMastery, defaults, kw)


make_skill_mastery = make_mastery


def make_path(session: Session, /, **kw) -> LearningPath:
    """A learning path with a unique slug."""
    n = next_id()
    defaults = {"slug": f"path-{n}", "name": f"Path {n}", "subject": "maths", "grade_level": 7}
    return _save(session, LearningPath, defaults, kw)


make_learning_path = make_path


def make_path_module(session: Session, /, **kw) -> PathModule:
    """The next module of a path (position after the last one)."""
    _parent(session, kw, "path", make_path)
    path = kw.get("path")
    defaults: dict[str, Any] = {"title": f"Module {next_id()}", "content_type": ContentType.VIDEO}
    defaults["position"] = max((m.position for m in path.modules), default=0) + 1 if path else 1
    return _save(session, PathModule, defaults, kw)


def make_path_enrolment(session: Session, /, **kw) -> PathEnrolment:
    """A learner enrolled a week ago in a path, two modules done."""
    _parent(session, kw, "user", make_learner)
    _parent(session, kw, "path", make_path)
    defaults = {"enrolled_at": now() - timedelta(days=7), "modules_completed": 2, "last_activity_at": now()}
    return _save(session, PathEnrolment, defaults, kw)


def make_quiz_attempt(session: Session, /, **kw) -> QuizAttempt:
    """A submitted quiz attempt: 8 of 10 correct, 80 of 100 points."""
    _parent(session, kw, "user", make_learner)
    started = kw.get("started_at") or now() - timedelta(minutes=15)
    defaults = {
        "started_at": started,
        "submitted_at": started + timedelta(minutes=10),
        "score": 80.0,
        "max_score": 100.0,
        "correct_count": 8,
        "total_questions": 10,
        "time_spent_seconds": 600,
    }
    return _save(session, QuizAttempt, defaults, kw)


def make_assessment_result(session: Session, /, **kw) -> AssessmentResult:
    """The graded result of a quiz attempt, by the attempt's learner."""
    if "quiz_attempt_id" not in kw:
        _parent(session, kw, "attempt", make_quiz_attempt)
    attempt = kw.get("attempt")
    defaults: dict[str, Any] = {"assessment_name": "Weekly quiz", "percent": 80.0, "passed": True}
    if attempt is not None and "user" not in kw and "user_id" not in kw:
        defaults["user"] = attempt.user
        defaults["percent"] = attempt.percent
    return _save(session, AssessmentResult, defaults, kw)


def make_learning_preference(session: Session, /, **kw) -> LearningPreference:
    """A learner's study habits."""
    _parent(session, kw, "user", make_learner)
    return _save(session, LearningPreference, {"daily_goal_minutes": 30}, kw)


def make_content_preference(session: Session, /, **kw) -> ContentPreference:
    """A learner's affinity for videos."""
    _parent(session, kw, "user", make_learner)
    return _save(session, ContentPreference, {"content_type": ContentType.VIDEO, "affinity": 0.7}, kw)


# social --------------------------------------------------------------------------------


def make_connection(session: Session, /, **kw) -> UserConnection:
    """One learner following another."""
    _parent(session, kw, "follower", make_learner)
    _parent(session, kw, "followee", make_learner)
    return _save(session, UserConnection, {}, kw)


def make_group(session: Session, /, **kw) -> StudyGroup:
    """A study group with a unique name."""
    return _save(session, StudyGroup, {"name": f"Class {next_id()}"}, kw)


make_study_group = make_group


def make_member(session: Session, /, role: GroupRole = GroupRole.MEMBER, **kw) -> GroupMember:
    """A membership; a teacher member is a teacher account, a plain member a learner."""
    _parent(session, kw, "group", make_group)
    _parent(session, kw, "user", make_teacher if role == GroupRole.TEACHER else make_learner)
    return _save(session, GroupMember, {"role": role}, kw)


def make_social_activity(session: Session, /, **kw) -> SocialActivity:
    """A shareable action by a learner."""
    _parent(session, kw, "actor", make_learner)
    defaults = {"verb": "earned", "object_type": "badge", "object_id": "1", "summary": "earned a badge"}
    return _save(session, SocialActivity, defaults, kw)


def make_feed_item(session: Session, /, **kw) -> ActivityFeed:
    """An unread feed item for a learner."""
    _parent(session, kw, "recipient", make_learner)
    _parent(session, kw, "activity", make_social_activity)
    return _save(session, ActivityFeed, {}, kw)


make_activity_feed = make_feed_item


# notifications -------------------------------------------------------------------------


def make_template(session: Session, /, **kw) -> NotificationTemplate:
    """An English email template with a unique key."""
    defaults = {
        "key": f"template_{next_id()}",
        "channel": Channel.EMAIL,
        "locale": "en",
        "category": NotificationCategory.REMINDER,
        "subject": "Keep going, {{ name }}",
        "body": "You are on a {{ days }}-day streak.",
    }
    return _save(session, NotificationTemplate, defaults, kw)


make_notification_template = make_template


def make_notification(session: Session, /, **kw) -> Notification:
    """A queued in-app notification to a learner."""
    _parent(session, kw, "recipient", make_learner)
    defaults = {
        "channel": Channel.IN_APP,
        "category": NotificationCategory.STREAK,
        "subject": "Streak",
        "body": "You are on a 3-day streak.",
    }
    return _save(session, Notification, defaults, kw)


def make_notification_preference(session: Session, /, **kw) -> NotificationPreference:
    """A learner's push reminders, quiet from 21:00 to 07:00."""
    _parent(session, kw, "user", make_learner)
    defaults = {
        "channel": Channel.PUSH,
        "category": NotificationCategory.REMINDER,
        "quiet_hours_start": 21,
        "quiet_hours_end": 7,
    }
    return _save(session, NotificationPreference, defaults, kw)


# analytics and audit -------------------------------------------------------------------


def make_daily_metric(session: Session, /, **kw) -> DailyMetric:
    """Today's platform-wide rollup."""
    defaults = {
        "day": today(),
        "scope": PLATFORM_SCOPE,
        "active_learners": 3,
        "weekly_active_learners": 5,
        "monthly_active_learners": 8,
        "sessions": 6,
        "learning_minutes": 95.0,
        "avg_focus_score": 70.0,
    }
    return _save(session, DailyMetric, defaults, kw)


def make_hourly_metric(session: Session, /, **kw) -> HourlyMetric:
    """A platform-wide rollup of one hour today (17:00 unless `hour=` is given)."""
    defaults = {"day": today(), "scope": PLATFORM_SCOPE, "hour": 17, "sessions": 2, "learning_minutes": 30.0}
    return _save(session, HourlyMetric, defaults, kw)


def make_learner_day(session: Session, /, **kw) -> LearnerDay:
    """A learner's activity today."""
    # LearnerDay has no relationship (the refresh bulk-writes it): a `user=` becomes user_id.
    _parent(session, kw, "user", make_learner)
    if "user" in kw:
        kw["user_id"] = kw.pop("user").id
    return _save(session, LearnerDay, {"day": today(), "sessions": 2, "learning_minutes": 35.0}, kw)


def make_feature_snapshot(session: Session, /, **kw) -> LearnerFeatureSnapshot:
    """A learner's engagement features as of today."""
    _parent(session, kw, "user", make_learner)
    defaults = {"as_of": today(), "feature_set": "engagement", "features": {"sessions_7d": 4}}
    return _save(session, LearnerFeatureSnapshot, defaults, kw)


def make_report(session: Session, /, **kw) -> ReportDefinition:
    """A saved engagement report owned by a teacher."""
    _parent(session, kw, "owner", make_teacher)
    defaults = {"name": f"Report {next_id()}", "report_type": "engagement", "filters": {"days": 30}}
    return _save(session, ReportDefinition, defaults, kw)


make_report_definition = make_report


def make_content_type_metric(session: Session, /, **kw) -> ContentTypeMetric:
    """Today's platform-wide figures of video sessions."""
    defaults = {
        "day": today(),
        "scope": PLATFORM_SCOPE,
        "content_type": ContentType.VIDEO,
        "sessions": 4,
        "learning_minutes": 60.0,
        "focus_score_sum": 280.0,
        "focus_sessions": 4,
    }
    return _save(session, ContentTypeMetric, defaults, kw)


def make_points_reason_metric(session: Session, /, **kw) -> PointsReasonMetric:
    """Today's platform-wide points earned for completing sessions."""
    defaults = {
        "day": today(),
        "scope": PLATFORM_SCOPE,
        "reason": PointsReason.SESSION_COMPLETED,
        "points": 120,
        "transactions": 6,
    }
    return _save(session, PointsReasonMetric, defaults, kw)


def make_retention_cohort(session: Session, /, **kw) -> RetentionCohort:
    """Last week's platform cohort, one week on."""
    monday = today() - timedelta(days=today().weekday() + 7)
    defaults = {
        "scope": PLATFORM_SCOPE,
        "cohort_week": monday,
        "week_offset": 1,
        "cohort_size": 10,
        "retained_learners": 6,
    }
    return _save(session, RetentionCohort, defaults, kw)


def make_risk_flag(session: Session, /, **kw) -> LearnerRiskFlag:
    """A learner who went quiet, as of today."""
    _parent(session, kw, "user", make_learner)
    if "user" in kw:
        kw["user_id"] = kw.pop("user").id
    defaults = {"as_of": today(), "rule": "went_quiet", "value": 9.0, "detail": "No activity for 9 days"}
    return _save(session, LearnerRiskFlag, defaults, kw)


def make_risk_evaluation(session: Session, /, **kw) -> RiskEvaluation:
    """Yesterday's evaluation of the at-risk rules, with one learner flagged."""
    defaults = {"as_of": today() - timedelta(days=1), "learners_flagged": 1}
    return _save(session, RiskEvaluation, defaults, kw)


def make_change_mark(session: Session, /, **kw) -> ChangeMark:
    """A learner's day today, waiting for the engine."""
    _parent(session, kw, "user", make_learner)
    if "user" in kw:
        kw["user_id"] = kw.pop("user").id
    return _save(session, ChangeMark, {"consumer": "engine", "day": today(), "version": 1}, kw)


def api_token(n: int | None = None) -> str:
    """A token that a test client sends (its hash is what make_api_client stores)."""
    return f"sd_test_token_{n if n is not None else next_id()}_0123456789abcdef"


def make_api_client(session: Session, /, token: str | None = None, **kw) -> ApiClient:
    """An active API client allowed to send activity and rosters, holding `token` (hashed)."""
    token = token or api_token()
    defaults = {
        "name": f"App {next_id()}",
        "token_prefix": token[:12],
        "token_hash": hashlib.sha256(token.encode()).hexdigest(),
        "scopes": [ApiScope.ACTIVITY_WRITE.value, ApiScope.ROSTER_WRITE.value],
        "allowed_networks": [],
        "rate_limit_per_minute": 600,
    }
    return _save(session, ApiClient, defaults, kw)


def make_ingest_receipt(session: Session, /, **kw) -> IngestReceipt:
    """A daily login item a client sent."""
    _parent(session, kw, "api_client", make_api_client)
    if "api_client" in kw:
        kw["api_client_id"] = kw.pop("api_client").id
    return _save(session, IngestReceipt, {"kind": "daily_login", "external_id": f"login-{next_id()}"}, kw)


def make_login_failure(session: Session, /, **kw) -> LoginFailure:
    """Two failed logins on one account, a minute apart."""
    n = next_id()
    defaults = {
        "scope": "account",
        "key_digest": f"{n:064x}",
        "failures": 2,
        "first_failed_at": now() - timedelta(minutes=1),
        "last_failed_at": now(),
    }
    return _save(session, LoginFailure, defaults, kw)


def make_audit_entry(session: Session, /, **kw) -> AuditEntry:
    """An admin's update of a badge."""
    _parent(session, kw, "actor", make_admin)
    actor = kw.get("actor")
    defaults = {
        "actor_email": actor.email if actor is not None else None,
        "action": AuditAction.UPDATE,
        "model": "Badge",
        "object_id": "1",
        "changes": {"name": ["Old", "New"]},
    }
    return _save(session, AuditEntry, defaults, kw)


def make_job_run(session: Session, /, **kw) -> JobRun:
    """A finished, successful run of the engine update a minute ago."""
    started = now() - timedelta(minutes=1)
    defaults = {
        "job": "engine_update",
        "status": JobStatus.SUCCEEDED,
        "started_at": started,
        "finished_at": started + timedelta(seconds=2),
        "lease_until": started + timedelta(minutes=30),
        "rows_touched": 12,
        "details": {"learners": 3},
        "worker": "worker-1:4242",
    }
    return _save(session, JobRun, defaults, kw)
