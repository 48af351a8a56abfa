"""Study groups (classes) and their members: learners and teachers."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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
    description: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    owner: Mapped["User | None"] = relationship()  # noqa: F821
    members: Mapped[list["GroupMember"]] = relationship(back_populates="group", passive_deletes=True)

    def __str__(self) -> str:
        return self.name


class GroupMember(Base):
    """A learner's (or teacher's) membership of a study group."""

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

    group: Mapped[StudyGroup] = relationship(back_populates="members")
    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821
