"""Schemas of job runs."""

from typing import Annotated

from pydantic import Field, model_validator

from webapp.models.core.enums import JobStatus, JobTrigger
from webapp.models.core.schemas import (
    NonNegInt,
    ReadSchema,
    RowId,
    Schema,
    SmallJSON,
    UTCDatetime,
    WriteSchema,
    check_order,
    text,
)

JobName = Annotated[str, Field(max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]


class JobRunFields(Schema):
    job: JobName
    status: JobStatus = JobStatus.RUNNING
    trigger: JobTrigger = JobTrigger.SCHEDULE
    started_at: UTCDatetime
    finished_at: UTCDatetime | None = None
    lease_until: UTCDatetime
    lock_key: JobName | None = None
    rows_touched: NonNegInt = 0
    details: SmallJSON | None = None
    message: text(10_000) | None = None
    worker: text(120) | None = None
    task_id: text(64) | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if (self.status == JobStatus.RUNNING) != (self.finished_at is None):
            raise ValueError("a run has finished_at exactly when it is no longer running")
        if self.lock_key is not None and self.status != JobStatus.RUNNING:
            raise ValueError("only a running run holds its job's lock")
        check_order(self.started_at, self.finished_at, "finished before it started")
        return self


class JobRunCreate(JobRunFields, WriteSchema):
    pass


class JobRunRead(JobRunFields, ReadSchema):
    id: RowId
