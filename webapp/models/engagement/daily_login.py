"""One row per learner per local day on which they logged in."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.core.base import Base
from webapp.models.core.enums import Device, str_enum
from webapp.models.core.types import UTCDateTime


class DailyLogin(Base):
    """A learner's logins on one day of their own calendar."""

    __tablename__ = "daily_logins"
    __table_args__ = (
        UniqueConstraint("user_id", "day"),
        CheckConstraint("login_count >= 1", name="login_count_positive"),
        CheckConstraint("last_login_at >= first_login_at", name="login_order"),
        Index("ix_daily_logins_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(nullable=False)
    first_login_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    login_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    device: Mapped[Device] = mapped_column(
        str_enum(Device, "device"), default=Device.WEB, server_default=Device.WEB.value
    )

    user: Mapped["User"] = relationship(back_populates="daily_logins")  # noqa: F821
