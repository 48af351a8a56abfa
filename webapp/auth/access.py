"""The one place that decides who may do what.

Every admin view, report page and endpoint asks `can()` (or the helpers built
on it). Anything not granted here is denied.
"""

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import GroupMember, StudyGroup, User
from webapp.models.core.enums import GroupRole, Role


class Action(StrEnum):
    LIST = "list"
    DETAILS = "details"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    EXPORT = "export"


READ = frozenset({Action.LIST, Action.DETAILS, Action.EXPORT})
ALL = frozenset(Action)

# Admin resources (one per admin view) that nobody may write through the admin:
# raw activity and ledgers are appended by the platform and by services only.
APPEND_ONLY = frozenset({"SessionEvent", "BehaviorEvent", "PointsTransaction", "AuditEntry"})
# Resources only admins may touch at all.
ADMIN_ONLY = frozenset({"StaffAccount"})

REPORTS = "reports"


def can(user: User | None, resource: str, action: Action | str) -> bool:
    """Whether user may perform action on resource (an admin model name or "reports")."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    action = Action(action)
    if resource == REPORTS:
        return action in READ and user.role in {Role.TEACHER, Role.OPERATOR, Role.ADMIN}
    if user.role == Role.ADMIN:
        return action in READ if resource in APPEND_ONLY else True
    if user.role == Role.OPERATOR:
        if resource in ADMIN_ONLY:
            return False
        return action in READ if resource in APPEND_ONLY else True
    return False


def can_use_admin(user: User | None) -> bool:
    """Whether user may open the admin at all."""
    return bool(user and getattr(user, "is_authenticated", False) and user.is_active) and user.role in {
        Role.OPERATOR,
        Role.ADMIN,
    }


def visible_group_ids(session: Session, user: User) -> set[int] | None:
    """Study groups whose learners user may see in reports; None means every group."""
    if user.role in {Role.OPERATOR, Role.ADMIN}:
        return None
    if user.role != Role.TEACHER:
        return set()
    taught = select(GroupMember.group_id).where(
        GroupMember.user_id == user.id, GroupMember.role == GroupRole.TEACHER
    )
    owned = select(StudyGroup.id).where(StudyGroup.owner_id == user.id)
    return set(session.scalars(taught.union(owned)))


def can_see_learner(session: Session, user: User, learner_id: int) -> bool:
    """Whether user may see this learner's data (teachers: learners of their groups only)."""
    groups = visible_group_ids(session, user)
    if groups is None:
        return True
    if not groups:
        return False
    stmt = select(GroupMember.id).where(
        GroupMember.user_id == learner_id,
        GroupMember.group_id.in_(groups),
        GroupMember.role == GroupRole.MEMBER,
    )
    return session.scalar(stmt.limit(1)) is not None
