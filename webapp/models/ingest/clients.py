"""API clients: the platform's apps and school systems that send data through /api/v1."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.mixins import ActiveFlagMixin, TimestampMixin
from webapp.models.core.types import JSONType, UTCDateTime

DEFAULT_RATE_LIMIT = 600  # requests per minute: ten batches a second


class ApiClient(TimestampMixin, ActiveFlagMixin, Base):
    """A named client with a bearer token (stored only as its SHA-256), scopes and limits.

    A revoked client (`is_active` false, `revoked_at` set) is refused with 401. The token
    is shown once when created or rotated; `token_prefix` lets staff tell tokens apart.
    """

    __tablename__ = "api_clients"
    __table_args__ = (
        CheckConstraint("rate_limit_per_minute BETWEEN 1 AND 1000000", name="rate_limit_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    token_prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    # e.g. ["activity:write", "roster:write"] (webapp.models.core.enums.ApiScope)
    scopes: Mapped[list[str]] = mapped_column(JSONType, nullable=False, default=list)
    # Networks the client may call from, as CIDR text ("10.2.0.0/16"); empty: anywhere.
    allowed_networks: Mapped[list[str]] = mapped_column(JSONType, nullable=False, default=list)
    rate_limit_per_minute: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_RATE_LIMIT)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_ip: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    created_by: Mapped["User | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return self.name
