"""Operator-edited message templates, rendered in Jinja's sandbox."""

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import Channel, NotificationCategory, str_enum
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin


class NotificationTemplate(TimestampMixin, ActiveFlagMixin, Base):
    """A message template for one key, channel and locale."""

    __tablename__ = "notification_templates"
    __table_args__ = (UniqueConstraint("key", "channel", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"), nullable=False)
    locale: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    category: Mapped[NotificationCategory] = mapped_column(
        str_enum(NotificationCategory, "category"),
        default=NotificationCategory.SYSTEM,
        server_default=NotificationCategory.SYSTEM.value,
    )
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped["User | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return f"{self.key} ({self.channel}, {self.locale})"
