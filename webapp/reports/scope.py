"""Whose learners a report shows: one small value worked out once per request.

A Scope says which rollup rows to read (`key`: "all", "group:<id>", or None for nothing),
which learners count (`group_ids`: the members of these groups; None means everyone), and
which groups the signed-in user may see at all (`visible`, from `webapp.auth.access`, the one
policy). Every query that lists or counts learners restricts them through `members_of`, the
one spelling of "the members of these groups".
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from webapp.models import GroupMember
from webapp.models.analytics.metrics import PLATFORM_SCOPE, group_scope
from webapp.models.core.enums import GroupRole


def members_of(group_ids: frozenset[int] | set[int]) -> Select:
    """Return a select of the user ids of the learners (members, not teachers) of these groups."""
    return select(GroupMember.user_id).where(
        GroupMember.group_id.in_(group_ids), GroupMember.role == GroupRole.MEMBER
    )


@dataclass(frozen=True)
class Scope:
    """The rows and learners a request may read, worked out once from the user and the group chosen."""

    key: str | None
    group_ids: frozenset[int] | None
    visible: frozenset[int] | None = None

    @classmethod
    def of(cls, group_id: int | None, visible: set[int] | None, no_groups: bool = False) -> "Scope":
        """The scope of a chosen group (None: the whole platform, or nothing for a teacher without groups)."""
        seen = None if visible is None else frozenset(visible)
        if no_groups:
            return cls(key=None, group_ids=frozenset(), visible=seen)
        if group_id is None:
            return cls(key=PLATFORM_SCOPE, group_ids=None, visible=seen)
        return cls(key=group_scope(group_id), group_ids=frozenset({group_id}), visible=seen)

    @property
    def group_id(self) -> int | None:
        """The one group chosen, if any."""
        return next(iter(self.group_ids)) if self.group_ids and len(self.group_ids) == 1 else None

    @property
    def is_empty(self) -> bool:
        """Whether the scope holds nobody (a teacher without groups)."""
        return self.key is None

    def restrict(self, user_id: ColumnElement) -> ColumnElement[bool]:
        """A condition keeping the rows of learners in scope, for a column of user ids."""
        if self.group_ids is None:
            return true()
        if not self.group_ids:
            return false()
        return user_id.in_(members_of(self.group_ids))

    def may_see_learner(self, session: Session, learner_id: int) -> bool:
        """Whether the user may see this learner at all (teachers: learners of their groups)."""
        if self.visible is None:
            return True
        if not self.visible:
            return False
        query = members_of(self.visible).where(GroupMember.user_id == learner_id).limit(1)
        return session.scalar(query) is not None
