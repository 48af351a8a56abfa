"""Every model of the schema, importable from here or from its domain module.

This module holds no model itself; it imports each domain so that
`from webapp.models import User` works and Alembic autogenerate sees every table.
"""

from webapp.models.analytics import (
    PLATFORM_SCOPE,
    ChangeMark,
    ContentTypeMetric,
    DailyMetric,
    HourlyMetric,
    LearnerDay,
    LearnerFeatureSnapshot,
    LearnerRiskFlag,
    PointsReasonMetric,
    ReportDefinition,
    RetentionCohort,
    RiskEvaluation,
)
from webapp.models.audit import AuditEntry
from webapp.models.core import Base, metadata
from webapp.models.engagement import (
    AttentionSpan,
    BehaviorEvent,
    DailyLogin,
    FocusMetrics,
    LearningSession,
    SessionEvent,
    UserEngagementProfile,
)
from webapp.models.gamification import (
    Badge,
    Duel,
    DuelParticipant,
    Leaderboard,
    LeaderboardEntry,
    PointsTransaction,
    StreakActivity,
    StreakFreeze,
    StreakMilestone,
    UserBadge,
    UserPoints,
    UserStreak,
)
from webapp.models.ingest import ApiClient, IngestReceipt
from webapp.models.jobs import JobRun
from webapp.models.learning import (
    AssessmentResult,
    ContentPreference,
    LearningPath,
    LearningPreference,
    PathEnrolment,
    PathModule,
    QuizAttempt,
    Skill,
    SkillMastery,
)
from webapp.models.notifications import Notification, NotificationPreference, NotificationTemplate
from webapp.models.social import ActivityFeed, GroupMember, SocialActivity, StudyGroup, UserConnection
from webapp.models.users import LoginFailure, User, UserProfile

__all__ = [
    "PLATFORM_SCOPE",
    "ActivityFeed",
    "ApiClient",
    "AssessmentResult",
    "AttentionSpan",
    "AuditEntry",
    "Badge",
    "Base",
    "BehaviorEvent",
    "ChangeMark",
    "ContentPreference",
    "ContentTypeMetric",
    "DailyLogin",
    "DailyMetric",
    "Duel",
    "DuelParticipant",
    "FocusMetrics",
    "GroupMember",
    "HourlyMetric",
    "IngestReceipt",
    "JobRun",
    "Leaderboard",
    "LeaderboardEntry",
    "LearnerDay",
    "LearnerFeatureSnapshot",
    "LearnerRiskFlag",
    "LearningPath",
    "LearningPreference",
    "LearningSession",
    "LoginFailure",
    "Notification",
    "NotificationPreference",
    "NotificationTemplate",
    "PathEnrolment",
    "PathModule",
    "PointsReasonMetric",
    "PointsTransaction",
    "QuizAttempt",
    "ReportDefinition",
    "RetentionCohort",
    "RiskEvaluation",
    "SessionEvent",
    "Skill",
    "SkillMastery",
    "SocialActivity",
    "StreakActivity",
    "StreakFreeze",
    "StreakMilestone",
    "StudyGroup",
    "User",
    "UserBadge",
    "UserConnection",
    "UserEngagementProfile",
    "UserPoints",
    "UserProfile",
    "UserStreak",
    "metadata",
]
