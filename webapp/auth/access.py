"""The one place that decides who may do what.

Every admin view, report page and endpoint asks `can()` (or the helpers built
on it). A resource is an admin view's name (usually its model's) or "reports";
anything not listed here is denied to everyone.
"""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import GroupMember, StudyGroup, User
from webapp.models.core.enums import GroupRole, Role
from webapp.models.social.study_groups import current_membership


class Action(StrEnum):
    LIST = "list"
    DETAILS = "details"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    EXPORT = "export"


READ = frozenset({Action.LIST, Action.DETAILS, Action.EXPORT})
ALL = frozenset(Action)
APPEND = READ | {Action.CREATE}

REPORTS = "reports"
STAFF = "StaffAccount"
LEARNER = "Learner"
POINTS_ADJUSTMENT = "PointsAdjustment"
# The admin Jobs page: every background job's runs and failures, and "Run now" (admins only:
# a job can rewrite every derived figure, and its messages may quote data of any learner).
JOBS = "Jobs"
API_CLIENTS = "ApiClient"
ROSTER_IMPORT = "RosterImport"

# Catalogue and learner data that operators run: full CRUD (every change audited).
EDITABLE = frozenset(
    {
        LEARNER,
        "UserProfile",
        "Badge",
        "UserBadge",
        "StreakMilestone",
        "StreakFreeze",
        "StreakActivity",
        "Leaderboard",
        "Duel",
        "DuelParticipant",
        "Skill",
        "LearningPath",
        "PathModule",
        "QuizAttempt",
        "AssessmentResult",
        "LearningPreference",
        "ContentPreference",
        "DailyLogin",
        "LearningSession",
        "AttentionSpan",
        "FocusMetrics",
        "StudyGroup",
        "GroupMember",
        "UserConnection",
        "SocialActivity",
        "ActivityFeed",
        "NotificationTemplate",
        "Notification",
        "NotificationPreference",
        "ReportDefinition",
    }
)
# Raw activity and ledgers are appended by the platform and by services only.
APPEND_ONLY = frozenset({"SessionEvent", "BehaviorEvent", "PointsTransaction", "AuditEntry"})
# Derived state that services recompute: editing it by hand would be overwritten or
# would disagree with its sources (balances come from the ledger, never from a form).
DERIVED = frozenset(
    {
        "UserStreak",
        "UserPoints",
        "LeaderboardEntry",
        "UserEngagementProfile",
        "SkillMastery",
        "DailyMetric",
        "HourlyMetric",
        "LearnerDay",
        "LearnerFeatureSnapshot",
    }
)
# Points are granted or removed only as new ledger transactions with a reason.
LEDGER_WRITES = frozenset({POINTS_ADJUSTMENT})
# Roster files: operators and admins check them (list) and apply them (create).
IMPORTS = frozenset({ROSTER_IMPORT})
# Resources only admins may touch at all: staff accounts, the API's clients and their tokens,
# and the Jobs page.
ADMIN_ONLY = frozenset({STAFF, API_CLIENTS, JOBS})

_MANAGERS = frozenset({Role.OPERATOR, Role.ADMIN})
_STAFF_ROLES = frozenset({Role.TEACHER, Role.OPERATOR, Role.ADMIN})


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def allowed_actions(role: Role | None, resource: str) -> frozenset[Action]:
    """Return the actions a role may take on a resource (empty when none)."""
    if resource == REPORTS:
        return READ if role in _STAFF_ROLES else frozenset()
    if role not in _MANAGERS:
        return frozenset()
    if resource in ADMIN_ONLY:
        return ALL if role == Role.ADMIN else frozenset()
    if resource in EDITABLE:
        return ALL
    if resource in APPEND_ONLY or resource in DERIVED:
        return READ
    if resource in LEDGER_WRITES or resource in IMPORTS:
        return APPEND
    return frozenset()


def can(user: User | None, resource: str, action: Action | str) -> bool:
    """Whether user may perform action on resource (an admin resource name or "reports")."""
    if not _signed_in(user):
        return False
    try:
        action = Action(action)
    except ValueError:
        return False
    return action in allowed_actions(user.role, resource)


def can_use_admin(user: User | None) -> bool:
    """Whether user may open the admin at all."""
    return _signed_in(user) and user.role in _MANAGERS


def visible_group_ids(session: Session, user: User) -> set[int] | None:
    """Study groups whose learners user may see in reports; None means every group."""
    if user.role in _MANAGERS:
        return None
    if user.role != Role.TEACHER:
        return set()
    taught = select(GroupMember.group_id).where(
        GroupMember.user_id == user.id,
        GroupMember.role == GroupRole.TEACHER,
        current_membership(datetime.now(UTC).date()),
    )
    owned = select(StudyGroup.id).where(StudyGroup.owner_id == user.id)
    return set(session.scalars(taught.union(owned)))


def can_see_learner(session: Session, user: User, learner_id: int) -> bool:
    """Whether user may see this learner's data (teachers: current learners of their groups only)."""
    groups = visible_group_ids(session, user)
    if groups is None:
        return True
    if not groups:
        return False
    stmt = select(GroupMember.id).where(
        GroupMember.user_id == learner_id,
        GroupMember.group_id.in_(groups),
        GroupMember.role == GroupRole.MEMBER,
        current_membership(datetime.now(UTC).date()),
    )
    return session.scalar(stmt.limit(1)) is not None
