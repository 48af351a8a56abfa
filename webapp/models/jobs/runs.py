"""Runs of the background jobs: what each did, how long it took, and why it failed.

An exclusive job holds its lock by its running row: `lock_key` is the job's name
while the run lasts (unique, so a second run cannot start beside it) and NULL
once it ends. A worker that dies leaves the row running until `lease_until`
passes; the next run then marks it failed ("worker lost") and takes the lock.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.core.base import Base
from webapp.models.core.enums import JobStatus, JobTrigger, str_enum
from webapp.models.core.mixins import utcnow
from webapp.models.core.types import JSONType, UTCDateTime, big_id


class JobRun(Base):
    """One run of a background job."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("(status = 'running') = (finished_at IS NULL)", name="finished_iff_done"),
        CheckConstraint("finished_at IS NULL OR finished_at >= started_at", name="ends_after_start"),
        CheckConstraint("lock_key IS NULL OR status = 'running'", name="lock_only_while_running"),
        CheckConstraint("rows_touched >= 0", name="rows_non_negative"),
        Index("ix_job_runs_job_started", "job", "started_at"),
        Index("ix_job_runs_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(big_id, primary_key=True)
    job: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "status"), default=JobStatus.RUNNING, nullable=False
    )
    trigger: Mapped[JobTrigger] = mapped_column(
        str_enum(JobTrigger, "trigger"), default=JobTrigger.SCHEDULE, nullable=False
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    lock_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    rows_touched: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    message: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(120))
    task_id: Mapped[str | None] = mapped_column(String(64))

    @property
    def seconds(self) -> float | None:
        """How long the run took (None while it runs)."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def __repr__(self) -> str:
        return f"<JobRun {self.id} {self.job} {self.status}>"
