"""Failed staff logins, counted per throttle key so that every app worker sees the same count.

The login throttle (`webapp.auth.throttle`) keeps one row per key it counts:
an account, a client address, or the pair of both. Keys are stored as keyed
digests, never as the typed email or the address. A row is reset when its
last failure is older than the throttle's window, and pruned a day later.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.types import UTCDateTime

THROTTLE_SCOPES = ("account", "address", "pair")


class LoginFailure(Base):
    """Recent failed logins for one key of one scope (account, address or pair)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        UniqueConstraint("scope", "key_digest"),
        CheckConstraint("scope IN ('account', 'address', 'pair')", name="scope_known"),
        CheckConstraint("failures >= 1", name="failures_positive"),
        CheckConstraint("last_failed_at >= first_failed_at", name="failed_in_order"),
        Index("ix_login_failures_last_failed_at", "last_failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(8), nullable=False)
    key_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    def __repr__(self) -> str:
        return f"<LoginFailure {self.scope} {self.key_digest[:8]} x{self.failures}>"
