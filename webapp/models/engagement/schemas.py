"""Schemas of raw engagement activity and the derived engagement profile."""

from datetime import date

from pydantic import Field, model_validator

from webapp.models.core.enums import ContentType, Device, SessionEventType
from webapp.models.core.schemas import (
    Hour,
    NonNegFloat,
    NonNegInt,
    Percent,
    PosInt,
    ReadSchema,
    RowId,
    Schema,
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
