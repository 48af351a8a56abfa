"""Follows and friendships between learners."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import ConnectionKind, ConnectionStatus, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime


class UserConnection(Base):
    """A directed link: follower follows (or befriends) followee."""

    __tablename__ = "user_connections"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id"),
        CheckConstraint("follower_id != followee_id", name="no_self_connection"),
        Index("ix_user_connections_followee_id", "followee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ConnectionKind] = mapped_column(
        str_enum(ConnectionKind, "kind"),
        default=ConnectionKind.FOLLOW,
        server_default=ConnectionKind.FOLLOW.value,
    )
    status: Mapped[ConnectionStatus] = mapped_column(
        str_enum(ConnectionStatus, "status"),
        default=ConnectionStatus.ACCEPTED,
        server_default=ConnectionStatus.ACCEPTED.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    follower: Mapped["User"] = relationship(foreign_keys=[follower_id], back_populates="connections")  # noqa: F821
    followee: Mapped["User"] = relationship(foreign_keys=[followee_id])  # noqa: F821
