"""Schemas of the rollups, saved report definitions and feature snapshots."""

from datetime import date
from typing import Annotated, Any

from pydantic import Field, model_validator

from webapp.models.analytics.metrics import PLATFORM_SCOPE, group_scope
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
    UpdateSchema,
    UTCDatetime,
    WriteSchema,
    text,
)

Scope = Annotated[str, Field(max_length=32, pattern=rf"^({PLATFORM_SCOPE}|group:[1-9][0-9]*)$")]
# The key of a registered report page (e.g. "engagement", "at-risk").
ReportKey = Annotated[str, Field(max_length=40, pattern=r"^[a-z][a-z0-9-]*$")]


class DailyMetricFields(Schema):
    day: date
    scope: Scope
    study_group_id: RowId | None = None
    active_learners: NonNegInt = 0
    weekly_active_learners: NonNegInt = 0
    monthly_active_learners: NonNegInt = 0
    new_learners: NonNegInt = 0
    sessions: NonNegInt = 0
    learning_minutes: NonNegFloat = 0
    avg_session_minutes: NonNegFloat | None = None
    median_session_minutes: NonNegFloat | None = None
    avg_focus_score: Percent | None = None
    focus_buckets: SmallJSON | None = None
    span_buckets: SmallJSON | None = None
    avg_span_seconds: NonNegFloat | None = None
    interruptions: NonNegInt = 0
    quiz_attempts: NonNegInt = 0
    avg_quiz_score: Percent | None = None
    points_earned: int = 0
    badges_awarded: NonNegInt = 0
    streak_holders: NonNegInt = 0

    @model_validator(mode="after")
    def _consistent(self):
        expected = PLATFORM_SCOPE if self.study_group_id is None else group_scope(self.study_group_id)
        if self.scope != expected:
            raise ValueError(f"scope {self.scope!r} does not match study_group_id (expected {expected!r})")
        if not self.active_learners <= self.weekly_active_learners <= self.monthly_active_learners:
            raise ValueError("daily <= weekly <= monthly active learners must hold")
        return self


class DailyMetricCreate(DailyMetricFields, WriteSchema):
    pass


class DailyMetricRead(DailyMetricFields, ReadSchema):
    id: RowId
    computed_at: UTCDatetime


class HourlyMetricFields(Schema):
    day: date
    scope: Scope
    hour: Hour
    sessions: NonNegInt = 0
    learning_minutes: NonNegFloat = 0
    focus_score_sum: NonNegFloat = 0
    focus_sessions: NonNegInt = 0


class HourlyMetricCreate(HourlyMetricFields, WriteSchema):
    pass


class HourlyMetricRead(HourlyMetricFields, ReadSchema):
    id: RowId


class LearnerDayFields(Schema):
    user_id: RowId
    day: date
    sessions: NonNegInt = 0
    learning_minutes: NonNegFloat = 0
    focus_score_sum: NonNegFloat = 0
    focus_sessions: NonNegInt = 0
    quiz_attempts: NonNegInt = 0
    quiz_percent_sum: NonNegFloat = 0
    points_earned: int = 0
    is_active: bool = False
    quiz_correct: NonNegInt = 0
    quiz_questions: NonNegInt = 0
    span_count: NonNegInt = 0
    span_seconds_sum: NonNegFloat = 0
    interruptions: NonNegInt = 0
    badges_awarded: NonNegInt = 0
    kept_streak: bool = False


class LearnerDayCreate(LearnerDayFields, WriteSchema):
    pass


class LearnerDayRead(LearnerDayFields, ReadSchema):
    id: RowId


class LearnerFeatureSnapshotFields(Schema):
    user_id: RowId
    as_of: date
    feature_set: text(64)
    version: PosInt = 1
    features: dict[str, Any]


class LearnerFeatureSnapshotCreate(LearnerFeatureSnapshotFields, WriteSchema):
    pass


class LearnerFeatureSnapshotRead(LearnerFeatureSnapshotFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime


class ReportDefinitionFields(Schema):
    name: text(120)
    report_type: ReportKey
    filters: SmallJSON = Field(default_factory=dict)
    owner_id: RowId
    is_shared: bool = False
    share_token: text(32, min_length=16) | None = None


class ReportDefinitionCreate(ReportDefinitionFields, WriteSchema):
    pass


class ReportDefinitionUpdate(UpdateSchema):
    name: text(120) | None = None
    filters: SmallJSON | None = None
    is_shared: bool | None = None
    share_token: text(32, min_length=16) | None = None


class ReportDefinitionRead(ReportDefinitionFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


class ContentTypeMetricFields(Schema):
    day: date
    scope: Scope
    content_type: text(24)
    sessions: NonNegInt = 0
    learning_minutes: NonNegFloat = 0
    focus_score_sum: NonNegFloat = 0
    focus_sessions: NonNegInt = 0


class ContentTypeMetricCreate(ContentTypeMetricFields, WriteSchema):
    pass


class ContentTypeMetricRead(ContentTypeMetricFields, ReadSchema):
    id: RowId


class PointsReasonMetricFields(Schema):
    day: date
    scope: Scope
    reason: text(24)
    points: int = 0
    transactions: NonNegInt = 0


class PointsReasonMetricCreate(PointsReasonMetricFields, WriteSchema):
    pass


class PointsReasonMetricRead(PointsReasonMetricFields, ReadSchema):
    id: RowId


class RetentionCohortFields(Schema):
    scope: Scope
    cohort_week: date
    as_of: date | None = None
    week_offset: NonNegInt
    cohort_size: NonNegInt
    retained_learners: NonNegInt

    @model_validator(mode="after")
    def _retained_within_cohort(self) -> "RetentionCohortFields":
        if self.retained_learners > self.cohort_size:
            raise ValueError("retained learners cannot exceed the cohort size")
        return self


class RetentionCohortCreate(RetentionCohortFields, WriteSchema):
    pass


class RetentionCohortRead(RetentionCohortFields, ReadSchema):
    id: RowId
    computed_at: UTCDatetime


class ChangeMarkFields(Schema):
    consumer: Annotated[str, Field(pattern=r"^[a-z_]{1,24}$")]
    user_id: RowId
    day: date
    version: PosInt = 1


class ChangeMarkCreate(ChangeMarkFields, WriteSchema):
    pass


class ChangeMarkRead(ChangeMarkFields, ReadSchema):
    marked_at: UTCDatetime


class LearnerRiskFlagFields(Schema):
    as_of: date
    user_id: RowId
    rule: text(32)
    value: float | None = None
    detail: text(200)


class LearnerRiskFlagCreate(LearnerRiskFlagFields, WriteSchema):
    pass


class LearnerRiskFlagRead(LearnerRiskFlagFields, ReadSchema):
    id: RowId
    computed_at: UTCDatetime


class RiskEvaluationFields(Schema):
    as_of: date
    learners_flagged: NonNegInt = 0


class RiskEvaluationCreate(RiskEvaluationFields, WriteSchema):
    pass


class RiskEvaluationRead(RiskEvaluationFields, ReadSchema):
    computed_at: UTCDatetime
