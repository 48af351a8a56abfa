"""Schemas of raw engagement activity and the derived engagement profile."""

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from webapp.models.core.enums import ContentType, Device, SessionEventType
from webapp.models.core.schemas import (
    Count,
    ExternalId,
    Hour,
    LearnerRefItem,
    NonNegFloat,
    NonNegInt,
    Percent,
    PosInt,
    Position,
    ReadSchema,
    RowId,
    Schema,
    Seconds,
    SentMoment,
    SlugRef,
    SmallJSON,
    UnitFloat,
    UTCDatetime,
    WriteSchema,
    check_order,
    text,
)


class DailyLoginFields(Schema):
    user_id: RowId
    day: date
    first_login_at: UTCDatetime
    last_login_at: UTCDatetime
    login_count: PosInt = 1
    device: Device = Device.WEB

    @model_validator(mode="after")
    def _in_order(self):
        check_order(self.first_login_at, self.last_login_at, "last login is before the first")
        return self


class DailyLoginCreate(DailyLoginFields, WriteSchema):
    pass


class DailyLoginRead(DailyLoginFields, ReadSchema):
    id: RowId


class LearningSessionFields(Schema):
    user_id: RowId
    started_at: UTCDatetime
    ended_at: UTCDatetime | None = None
    duration_seconds: NonNegInt | None = None
    device: Device = Device.WEB
    content_type: ContentType
    skill_id: RowId | None = None
    path_module_id: RowId | None = None
    is_completed: bool = False

    @model_validator(mode="after")
    def _in_order(self):
        check_order(self.started_at, self.ended_at, "session ends before it starts")
        return self


class LearningSessionCreate(LearningSessionFields, WriteSchema):
    pass


class LearningSessionRead(LearningSessionFields, ReadSchema):
    id: RowId
    local_day: date
    local_hour: Hour


class SessionEventFields(Schema):
    session_id: RowId
    user_id: RowId
    event_type: SessionEventType
    occurred_at: UTCDatetime
    payload: SmallJSON | None = None


class SessionEventCreate(SessionEventFields, WriteSchema):
    pass


class SessionEventRead(SessionEventFields, ReadSchema):
    id: RowId
    local_day: date
    local_hour: Hour


class AttentionSpanFields(Schema):
    session_id: RowId
    user_id: RowId
    started_at: UTCDatetime
    ended_at: UTCDatetime
    focus_seconds: NonNegInt
    interruptions: NonNegInt = 0

    @model_validator(mode="after")
    def _in_order(self):
        check_order(self.started_at, self.ended_at, "span ends before it starts")
        return self


class AttentionSpanCreate(AttentionSpanFields, WriteSchema):
    pass


class AttentionSpanRead(AttentionSpanFields, ReadSchema):
    id: RowId
    local_day: date
    local_hour: Hour


class FocusMetricsFields(Schema):
    session_id: RowId
    user_id: RowId
    focus_score: Percent
    avg_span_seconds: NonNegFloat
    longest_span_seconds: NonNegInt
    distraction_count: NonNegInt = 0


class FocusMetricsCreate(FocusMetricsFields, WriteSchema):
    pass


class FocusMetricsRead(FocusMetricsFields, ReadSchema):
    id: RowId
    computed_at: UTCDatetime


class BehaviorEventFields(Schema):
    user_id: RowId
    session_id: RowId | None = None
    name: text(64)
    properties: SmallJSON | None = None
    occurred_at: UTCDatetime


class BehaviorEventCreate(BehaviorEventFields, WriteSchema):
    pass


class BehaviorEventRead(BehaviorEventFields, ReadSchema):
    id: RowId
    local_day: date
    local_hour: Hour


class UserEngagementProfileFields(Schema):
    user_id: RowId
    avg_session_minutes: NonNegFloat = 0
    preferred_hour: Hour | None = None
    active_days_30: int = Field(0, ge=0, le=30)
    sessions_30: NonNegInt = 0
    churn_risk: UnitFloat = 0


class UserEngagementProfileCreate(UserEngagementProfileFields, WriteSchema):
    pass


class UserEngagementProfileRead(UserEngagementProfileFields, ReadSchema):
    updated_at: UTCDatetime


# Items of the ingest API (POST /api/v1/activity) ---------------------------------------

SESSION_SECONDS = Field(None, ge=0, le=86_400)


class LearningSessionItem(LearnerRefItem):
    """A learning session: send it when it starts, and again with its end once known."""

    type: Literal["session"]
    started_at: SentMoment
    ended_at: SentMoment | None = None
    duration_seconds: int | None = SESSION_SECONDS
    device: Device = Device.WEB
    content_type: ContentType
    skill: SlugRef | None = None
    path: SlugRef | None = None
    module_position: Position | None = None
    completed: bool = False

    @model_validator(mode="after")
    def _consistent(self):
        check_order(self.started_at, self.ended_at, "the session ends before it starts")
        elapsed = (self.ended_at - self.started_at).total_seconds() if self.ended_at else None
        if elapsed is not None and self.duration_seconds is not None and self.duration_seconds > elapsed + 1:
            raise ValueError("duration_seconds is longer than the time from start to end")
        if (self.path is None) != (self.module_position is None):
            raise ValueError("give path and module_position together")
        return self


class SessionEventItem(LearnerRefItem):
    """Something that happened inside a session (by the session's own id)."""

    type: Literal["session_event"]
    session: ExternalId
    event_type: SessionEventType
    occurred_at: SentMoment
    payload: SmallJSON | None = None


class AttentionSpanItem(LearnerRefItem):
    """A stretch of focused work inside a session, ended by an interruption (or the end)."""

    type: Literal["attention_span"]
    session: ExternalId
    started_at: SentMoment
    ended_at: SentMoment
    focus_seconds: Seconds
    interruptions: Count = 0

    @model_validator(mode="after")
    def _consistent(self):
        check_order(self.started_at, self.ended_at, "the span ends before it starts")
        if self.focus_seconds > (self.ended_at - self.started_at).total_seconds() + 1:
            raise ValueError("focus_seconds is longer than the span")
        return self


class FocusMetricsItem(LearnerRefItem):
    """The focus summary of one session (one per session)."""

    type: Literal["focus_metrics"]
    session: ExternalId
    focus_score: Percent
    avg_span_seconds: float = Field(ge=0, le=86_400, allow_inf_nan=False)
    longest_span_seconds: Seconds
    distraction_count: Count = 0

    @model_validator(mode="after")
    def _consistent(self):
        if self.avg_span_seconds > self.longest_span_seconds + 1e-9:
            raise ValueError("avg_span_seconds is above longest_span_seconds")
        return self


class DailyLoginItem(LearnerRefItem):
    """One login: it counts on the learner's local day of `at`."""

    type: Literal["daily_login"]
    at: SentMoment
    device: Device = Device.WEB


class BehaviorEventItem(LearnerRefItem):
    """A named clickstream event with free-form properties."""

    type: Literal["behavior_event"]
    name: text(64)
    occurred_at: SentMoment
    session: ExternalId | None = None
    properties: SmallJSON | None = None
