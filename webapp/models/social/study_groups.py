"""Study groups (classes) and their members: learners and teachers."""

from datetime import date, datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import GroupRole, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin, utcnow
from webapp.models.core.types import UTCDateTime


class StudyGroup(TimestampMixin, ActiveFlagMixin, Base):
    """A class or club of learners, taught by one or more teachers."""

    __tablename__ = "study_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    # The platform's own id of the group, shared by every API client (roster upserts key on it).
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    owner: Mapped["User | None"] = relationship()  # noqa: F821
    members: Mapped[list["GroupMember"]] = relationship(back_populates="group", passive_deletes=True)

    def __str__(self) -> str:
        return self.name


class GroupMember(Base):
    """A learner's (or teacher's) membership of a study group.

    A membership with `left_on` ended: it counts for the group on local days before that
    day only, and a teacher no longer sees the learner (nor teaches the group) from then on.
    """

    __tablename__ = "group_members"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        Index("ix_group_members_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[GroupRole] = mapped_column(
        str_enum(GroupRole, "role"), default=GroupRole.MEMBER, server_default=GroupRole.MEMBER.value
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    left_on: Mapped[date | None] = mapped_column()

    group: Mapped[StudyGroup] = relationship(back_populates="members")
    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821


def current_membership(today: date) -> ColumnElement[bool]:
    """Return the SQL condition of a membership that has not ended by today."""
    return or_(GroupMember.left_on.is_(None), GroupMember.left_on > today)
