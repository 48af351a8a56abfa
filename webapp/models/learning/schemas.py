"""Schemas of skills, mastery, learning paths, quizzes and preferences."""

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from webapp.models.core.enums import ContentType, Difficulty, PathStatus, StudyTime
from webapp.models.core.schemas import (
    Count,
    ExternalId,
    GradeLevel,
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
    SentMoment,
    Slug,
    SlugRef,
    UnitFloat,
    UpdateSchema,
    UTCDatetime,
    WriteSchema,
    check_order,
    text,
)


class SkillFields(Schema):
    slug: Slug
    name: text(120)
    subject: text(64)
    description: text(5000, 0) | None = None
    difficulty: Difficulty = Difficulty.MEDIUM
    parent_id: RowId | None = None
    is_active: bool = True


class SkillCreate(SkillFields, WriteSchema):
    pass


class SkillUpdate(UpdateSchema):
    clearable = frozenset({"description", "parent_id"})

    name: text(120) | None = None
    subject: text(64) | None = None
    description: text(5000, 0) | None = None
    difficulty: Difficulty | None = None
    parent_id: RowId | None = None
    is_active: bool | None = None


class SkillRead(SkillFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime

    @model_validator(mode="after")
    def _not_own_parent(self):
        if self.parent_id == self.id:
            raise ValueError("a skill cannot be its own parent")
        return self


class SkillMasteryFields(Schema):
    user_id: RowId
    skill_id: RowId
    mastery: UnitFloat = 0
    attempts: NonNegInt = 0
    last_practiced_at: UTCDatetime | None = None


class SkillMasteryCreate(SkillMasteryFields, WriteSchema):
    pass


class SkillMasteryRead(SkillMasteryFields, ReadSchema):
    id: RowId
    updated_at: UTCDatetime


class LearningPathFields(Schema):
    slug: Slug
    name: text(120)
    subject: text(64)
    description: text(5000, 0) | None = None
    grade_level: GradeLevel | None = None
    is_active: bool = True


class LearningPathCreate(LearningPathFields, WriteSchema):
    pass


class LearningPathUpdate(UpdateSchema):
    clearable = frozenset({"description", "grade_level"})

    name: text(120) | None = None
    subject: text(64) | None = None
    description: text(5000, 0) | None = None
    grade_level: GradeLevel | None = None
    is_active: bool | None = None


class LearningPathRead(LearningPathFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


class PathModuleFields(Schema):
    path_id: RowId
    position: PosInt
    title: text(160)
    skill_id: RowId | None = None
    content_type: ContentType
    estimated_minutes: PosInt = 10


class PathModuleCreate(PathModuleFields, WriteSchema):
    pass


class PathModuleUpdate(UpdateSchema):
    clearable = frozenset({"skill_id"})

    position: PosInt | None = None
    title: text(160) | None = None
    skill_id: RowId | None = None
    content_type: ContentType | None = None
    estimated_minutes: PosInt | None = None


class PathModuleRead(PathModuleFields, ReadSchema):
    id: RowId


class QuizAttemptFields(Schema):
    user_id: RowId
    skill_id: RowId | None = None
    path_module_id: RowId | None = None
    session_id: RowId | None = None
    started_at: UTCDatetime
    submitted_at: UTCDatetime | None = None
    score: NonNegFloat = 0
    max_score: float = Field(100, gt=0, allow_inf_nan=False)
    correct_count: NonNegInt = 0
    total_questions: PosInt
    time_spent_seconds: NonNegInt = 0
    difficulty: Difficulty = Difficulty.MEDIUM

    @model_validator(mode="after")
    def _within_bounds(self):
        if self.score > self.max_score:
            raise ValueError("score is above max_score")
        if self.correct_count > self.total_questions:
            raise ValueError("more correct answers than questions")
        check_order(self.started_at, self.submitted_at, "submitted before it was started")
        return self


class QuizAttemptCreate(QuizAttemptFields, WriteSchema):
    pass


class QuizAttemptRead(QuizAttemptFields, ReadSchema):
    id: RowId
    percent: Percent
    local_day: date
    local_hour: Hour


class AssessmentResultFields(Schema):
    user_id: RowId
    quiz_attempt_id: RowId | None = None
    assessment_name: text(160)
    percent: Percent
    passed: bool
    feedback: text(5000, 0) | None = None
    graded_by_id: RowId | None = None


class AssessmentResultCreate(AssessmentResultFields, WriteSchema):
    graded_at: UTCDatetime | None = None


class AssessmentResultRead(AssessmentResultFields, ReadSchema):
    id: RowId
    graded_at: UTCDatetime


class LearningPreferenceFields(Schema):
    user_id: RowId
    preferred_study_time: StudyTime | None = None
    daily_goal_minutes: int = Field(20, ge=1, le=600)
    difficulty: Difficulty = Difficulty.MEDIUM


class LearningPreferenceCreate(LearningPreferenceFields, WriteSchema):
    pass


class LearningPreferenceUpdate(UpdateSchema):
    clearable = frozenset({"preferred_study_time"})

    preferred_study_time: StudyTime | None = None
    daily_goal_minutes: int | None = Field(None, ge=1, le=600)
    difficulty: Difficulty | None = None


class LearningPreferenceRead(LearningPreferenceFields, ReadSchema):
    updated_at: UTCDatetime


class ContentPreferenceFields(Schema):
    user_id: RowId
    content_type: ContentType
    affinity: UnitFloat = 0.5


class ContentPreferenceCreate(ContentPreferenceFields, WriteSchema):
    pass


class ContentPreferenceRead(ContentPreferenceFields, ReadSchema):
    id: RowId
    updated_at: UTCDatetime


class PathEnrolmentFields(Schema):
    user_id: RowId
    path_id: RowId
    status: PathStatus = PathStatus.ENROLLED
    enrolled_at: UTCDatetime
    modules_completed: NonNegInt = 0
    current_module_id: RowId | None = None
    last_activity_at: UTCDatetime | None = None
    completed_at: UTCDatetime | None = None

    @model_validator(mode="after")
    def _in_order(self):
        check_order(self.enrolled_at, self.completed_at, "completed before enrolling")
        return self


class PathEnrolmentCreate(PathEnrolmentFields, WriteSchema):
    pass


class PathEnrolmentRead(PathEnrolmentFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


# Items of the ingest API (POST /api/v1/activity) ---------------------------------------


class QuizAttemptItem(LearnerRefItem):
    """A quiz attempt: send it when started, and again once submitted with its score."""

    type: Literal["quiz_attempt"]
    started_at: SentMoment
    submitted_at: SentMoment | None = None
    score: float = Field(0, ge=0, le=1_000_000, allow_inf_nan=False)
    max_score: float = Field(100, gt=0, le=1_000_000, allow_inf_nan=False)
    correct_count: Count = 0
    total_questions: int = Field(gt=0, le=10_000)
    time_spent_seconds: int = Field(0, ge=0, le=86_400)
    difficulty: Difficulty = Difficulty.MEDIUM
    skill: SlugRef | None = None
    session: ExternalId | None = None

    @model_validator(mode="after")
    def _within_bounds(self):
        if self.score > self.max_score:
            raise ValueError("score is above max_score")
        if self.correct_count > self.total_questions:
            raise ValueError("correct_count is above total_questions")
        check_order(self.started_at, self.submitted_at, "submitted before it was started")
        return self


class PathProgressItem(LearnerRefItem):
    """A learner's enrolment in a learning path and how far they are (one row per learner and path)."""

    type: Literal["path_progress"]
    path: SlugRef
    status: PathStatus = PathStatus.IN_PROGRESS
    enrolled_at: SentMoment
    modules_completed: int = Field(0, ge=0, le=10_000)
    current_module_position: Position | None = None
    last_activity_at: SentMoment | None = None
    completed_at: SentMoment | None = None

    @model_validator(mode="after")
    def _consistent(self):
        check_order(self.enrolled_at, self.completed_at, "completed before enrolling")
        check_order(self.enrolled_at, self.last_activity_at, "last activity before enrolling")
        if (self.status == PathStatus.COMPLETED) != (self.completed_at is not None):
            raise ValueError("a completed path has completed_at, and only a completed one")
        return self
