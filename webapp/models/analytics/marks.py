"""Change marks: which learners' local days new or late raw activity touched, per consumer.

Ingest writes one mark per (consumer, learner, local day) it touched; the jobs
that keep derived state and rollups current (the consumers) claim marks, do
their work, and release exactly the marks they saw. Marking a pair again bumps
its version, so a release never drops a mark that changed after it was claimed.
The rules live in `webapp.services.marks`.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import UTCDateTime


class ChangeMark(Base):
    """One learner's local day that a consumer (`engine`, `refresh`) has still to bring up to date."""

    __tablename__ = "change_marks"
    __table_args__ = (Index("ix_change_marks_consumer_day", "consumer", "day"),)

    consumer: Mapped[str] = mapped_column(String(24), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    # Bumped each time the pair is marked again: a release deletes only the version it claimed.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<ChangeMark {self.consumer} user={self.user_id} day={self.day} v{self.version}>"
