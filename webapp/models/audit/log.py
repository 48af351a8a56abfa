"""Who changed what through the admin, with field-level before and after values."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import AuditAction, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import JSONType, UTCDateTime, big_id


class AuditEntry(Base):
    """One audited change; kept when the changed row (or the actor) is deleted."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_model_object", "model", "object_id"),
        Index("ix_audit_entries_created_at", "created_at"),
        Index("ix_audit_entries_actor_id", "actor_id"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Copied so that the entry still says who acted after the account is gone.
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "action"), nullable=False)
    model: Mapped[str] = mapped_column(String(64), nullable=False)
    object_id: Mapped[str | None] = mapped_column(String(64))
    # {"field": [before, after], ...}; secrets are never stored.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    summary: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    actor: Mapped["User | None"] = relationship()  # noqa: F821
