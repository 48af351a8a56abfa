"""Mixins for behaviour that many models share."""

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Index, SmallInteger, String, func, text, true
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


# Columns that the system writes (never a person): admin forms leave them out.
SYSTEM: dict[str, Any] = {"system": True}


class LocalTimeMixin:
    """The learner-local day and hour of the row's moment, stored when the row is written.

    `local_time_source` names the timestamp that the day belongs to. Writers fill both
    columns with `webapp.services.timezones.local_day_hour()` (an ORM hook does it for
    rows added through a session); rollups and rules read them and never convert again.
    """

    local_time_source: ClassVar[str] = "created_at"

    local_day: Mapped[date] = mapped_column(nullable=False, info=SYSTEM)
    local_hour: Mapped[int] = mapped_column(SmallInteger, nullable=False, info=SYSTEM)

    def local_moment(self) -> datetime | None:
        """Return the moment whose local day and hour the row stores."""
        return getattr(self, self.local_time_source)

    @classmethod
    def local_time_fields(cls) -> tuple[str, ...]:
        """Return the attributes the moment comes from (a change means new local values)."""
        return (cls.local_time_source,)


class IngestKeyMixin:
    """Which API client sent the row, under which id of its own (both empty for other writers).

    A partial unique index on the pair (see `ingest_key_index`) stores an item once, however
    often a client retries it.
    """

    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"), info=SYSTEM)
    external_id: Mapped[str | None] = mapped_column(String(64), info=SYSTEM)


def ingest_key_index(table: str) -> Index:
    """Return the unique index on (api_client_id, external_id) of a raw table, for sent rows only."""
    sent = text("external_id IS NOT NULL")
    return Index(
        f"uq_{table}_api_client_external",
        "api_client_id",
        "external_id",
        unique=True,
        sqlite_where=sent,
        postgresql_where=sent,
    )
