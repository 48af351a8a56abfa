"""Every enumeration of the schema, stored as checked VARCHARs.

Values are stored as strings with a CHECK constraint rather than as native
PostgreSQL enum types: adding a value is then a plain migration on both
databases, and SQLite enforces the same rule.
"""

import enum

from sqlalchemy import Enum as SAEnum

StrEnum = enum.StrEnum


class Role(StrEnum):
    LEARNER = "learner"
    TEACHER = "teacher"
    OPERATOR = "operator"
    ADMIN = "admin"


class Device(StrEnum):
    WEB = "web"
    ANDROID = "android"
    IOS = "ios"
    TABLET = "tablet"
    OTHER = "other"


class ContentType(StrEnum):
    VIDEO = "video"
    READING = "reading"
    QUIZ = "quiz"
    PRACTICE = "practice"
    GAME = "game"
    LIVE_CLASS = "live_class"


class SessionEventType(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    VIDEO_PLAY = "video_play"
    VIDEO_PAUSE = "video_pause"
    VIDEO_SEEK = "video_seek"
    QUIZ_ANSWER = "quiz_answer"
    HINT = "hint"
    TAB_HIDDEN = "tab_hidden"
    TAB_VISIBLE = "tab_visible"
    IDLE = "idle"
    END = "end"


class AgeBand(StrEnum):
    UNDER_10 = "under_10"
    AGE_10_12 = "10_12"
    AGE_13_15 = "13_15"
    AGE_16_18 = "16_18"
    ADULT = "adult"


class StreakSource(StrEnum):
    SESSION = "session"
    QUIZ = "quiz"
    MANUAL = "manual"


class FreezeStatus(StrEnum):
    EQUIPPED = "equipped"
    USED = "used"
    EXPIRED = "expired"


class FreezeOrigin(StrEnum):
    EARNED = "earned"
    BOUGHT = "bought"
    GRANTED = "granted"


class BadgeTier(StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"
    PLATINUM = "platinum"


class BadgeMetric(StrEnum):
    STREAK_DAYS = "streak_days"
    TOTAL_POINTS = "total_points"
    QUIZZES_PASSED = "quizzes_passed"
    SKILLS_MASTERED = "skills_mastered"
    DUELS_WON = "duels_won"
    SESSIONS_COMPLETED = "sessions_completed"


class PointsReason(StrEnum):
    SESSION_COMPLETED = "session_completed"
    QUIZ_PASSED = "quiz_passed"
    STREAK_MILESTONE = "streak_milestone"
    BADGE_AWARDED = "badge_awarded"
    DUEL_WON = "duel_won"
    DUEL_DRAW = "duel_draw"
    DAILY_GOAL = "daily_goal"
    FREEZE_PURCHASE = "freeze_purchase"
    ADJUSTMENT = "adjustment"
    REVERSAL = "reversal"
    APP_REWARD = "app_reward"  # earned in the platform's apps (games, challenges), sent through the API


class LeaderboardPeriod(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    ALL_TIME = "all_time"


class LeaderboardScope(StrEnum):
    GLOBAL = "global"
    STUDY_GROUP = "study_group"


class LeaderboardMetric(StrEnum):
    POINTS = "points"
    LEARNING_MINUTES = "learning_minutes"
    QUIZZES_PASSED = "quizzes_passed"


class DuelStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    DECLINED = "declined"
    EXPIRED = "expired"


class DuelOutcome(StrEnum):
    PENDING = "pending"
    WON = "won"
    LOST = "lost"
    DRAW = "draw"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class StudyTime(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"


class ConnectionKind(StrEnum):
    FOLLOW = "follow"
    FRIEND = "friend"


class ConnectionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    BLOCKED = "blocked"


class GroupRole(StrEnum):
    MEMBER = "member"
    TEACHER = "teacher"


class Channel(StrEnum):
    EMAIL = "email"
    PUSH = "push"
    IN_APP = "in_app"


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a worker, with a lease: see services/delivery
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # not sent on purpose: preference off, daily cap, expired
    READ = "read"


class NotificationCategory(StrEnum):
    STREAK = "streak"
    BADGE = "badge"
    DUEL = "duel"
    REMINDER = "reminder"
    SOCIAL = "social"
    SYSTEM = "system"
    DIGEST = "digest"  # the teachers' weekly email


class JobStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobTrigger(StrEnum):
    SCHEDULE = "schedule"  # beat, or the embedded scheduler of `make run`
    MANUAL = "manual"  # `flask jobs run`, the admin's "Run now"


class PathStatus(StrEnum):
    ENROLLED = "enrolled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DROPPED = "dropped"


class ApiScope(StrEnum):
    """What an API client's token may do."""

    ACTIVITY_WRITE = "activity:write"
    ROSTER_WRITE = "roster:write"
    NOTIFICATIONS_READ = "notifications:read"
    NOTIFICATIONS_WRITE = "notifications:write"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ACTION = "action"


def str_enum(enum_cls: type[enum.Enum], name: str, length: int = 24) -> SAEnum:
    """Return a VARCHAR column type restricted to the enum's values by a named CHECK."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
