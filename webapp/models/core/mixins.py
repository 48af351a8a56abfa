"""Mixins for behaviour that many models share."""

from datetime import UTC, datetime

from sqlalchemy import func, true
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.types import UTCDateTime


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class TimestampMixin:
    """created_at and updated_at, set in UTC by Python and by the database."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now(), nullable=False
    )


class CreatedAtMixin:
    """created_at only, for append-only rows."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now(), nullable=False, index=True
    )


class ActiveFlagMixin:
    """A soft on/off flag: rows are switched off rather than deleted."""

    is_active: Mapped[bool] = mapped_column(default=True, server_default=true(), nullable=False)
