"""Schemas of streaks, badges, points, leaderboards and duels."""

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from webapp.models.core.enums import (
    BadgeMetric,
    BadgeTier,
    DuelOutcome,
    DuelStatus,
    FreezeOrigin,
    FreezeStatus,
    LeaderboardMetric,
    LeaderboardPeriod,
    LeaderboardScope,
    PointsReason,
    StreakSource,
)
from webapp.models.core.schemas import (
    Hour,
    LearnerRefItem,
    NonNegInt,
    PosInt,
    ReadSchema,
    RowId,
    Schema,
    SentMoment,
    Slug,
    UpdateSchema,
    UTCDatetime,
    WriteSchema,
    check_order,
    text,
)


class UserStreakFields(Schema):
    user_id: RowId
    current_length: NonNegInt = 0
    longest_length: NonNegInt = 0
    started_on: date | None = None
    last_active_on: date | None = None
    freezes_equipped: int = Field(0, ge=0, le=2)

    @model_validator(mode="after")
    def _longest_covers_current(self):
        if self.longest_length < self.current_length:
            raise ValueError("longest streak is shorter than the current one")
        check_order(self.started_on, self.last_active_on, "streak last active before it started")
        return self


class UserStreakCreate(UserStreakFields, WriteSchema):
    pass


class UserStreakRead(UserStreakFields, ReadSchema):
    updated_at: UTCDatetime


class StreakActivityFields(Schema):
    user_id: RowId
    day: date
    source: StreakSource


class StreakActivityCreate(StreakActivityFields, WriteSchema):
    pass


class StreakActivityRead(StreakActivityFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime


class StreakFreezeFields(Schema):
    user_id: RowId
    origin: FreezeOrigin
    status: FreezeStatus = FreezeStatus.EQUIPPED
    used_on: date | None = None

    @model_validator(mode="after")
    def _used_iff_used_on(self):
        if (self.status == FreezeStatus.USED) != (self.used_on is not None):
            raise ValueError("a freeze has used_on exactly when its status is 'used'")
        return self


class StreakFreezeCreate(StreakFreezeFields, WriteSchema):
    acquired_at: UTCDatetime | None = None


class StreakFreezeRead(StreakFreezeFields, ReadSchema):
    id: RowId
    acquired_at: UTCDatetime


class BadgeFields(Schema):
    slug: Slug
    name: text(120)
    description: text(5000, 0) | None = None
    icon: text(64) | None = None
    tier: BadgeTier = BadgeTier.BRONZE
    criteria_metric: BadgeMetric
    criteria_threshold: PosInt
    points_reward: NonNegInt = 0
    is_active: bool = True


class BadgeCreate(BadgeFields, WriteSchema):
    pass


class BadgeUpdate(UpdateSchema):
    clearable = frozenset({"description", "icon"})

    name: text(120) | None = None
    description: text(5000, 0) | None = None
    icon: text(64) | None = None
    tier: BadgeTier | None = None
    criteria_metric: BadgeMetric | None = None
    criteria_threshold: PosInt | None = None
    points_reward: NonNegInt | None = None
    is_active: bool | None = None


class BadgeRead(BadgeFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


class UserBadgeFields(Schema):
    user_id: RowId
    badge_id: RowId
    awarded_via: text(64) = "rule"
    awarded_by_id: RowId | None = None


class UserBadgeCreate(UserBadgeFields, WriteSchema):
    awarded_at: UTCDatetime | None = None


class UserBadgeRead(UserBadgeFields, ReadSchema):
    id: RowId
    awarded_at: UTCDatetime
    local_day: date


class StreakMilestoneFields(Schema):
    days: PosInt
    badge_id: RowId | None = None
    points: NonNegInt = 0
    is_active: bool = True


class StreakMilestoneCreate(StreakMilestoneFields, WriteSchema):
    pass


class StreakMilestoneUpdate(UpdateSchema):
    clearable = frozenset({"badge_id"})

    days: PosInt | None = None
    badge_id: RowId | None = None
    points: NonNegInt | None = None
    is_active: bool | None = None


class StreakMilestoneRead(StreakMilestoneFields, ReadSchema):
    id: RowId


class UserPointsFields(Schema):
    user_id: RowId
    balance: int = 0
    lifetime_earned: NonNegInt = 0


class UserPointsCreate(UserPointsFields, WriteSchema):
    pass


class UserPointsRead(UserPointsFields, ReadSchema):
    updated_at: UTCDatetime


class PointsTransactionFields(Schema):
    user_id: RowId
    amount: int
    reason: PointsReason
    source_type: text(32) | None = None
    source_id: text(64) | None = None
    idempotency_key: text(128)
    note: text(5000, 0) | None = None
    created_by_id: RowId | None = None

    @model_validator(mode="after")
    def _amount_non_zero(self):
        if self.amount == 0:
            raise ValueError("a ledger entry moves points: amount cannot be 0")
        return self


class PointsTransactionCreate(PointsTransactionFields, WriteSchema):
    created_at: UTCDatetime | None = None


class PointsTransactionRead(PointsTransactionFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    local_day: date
    local_hour: Hour


class LeaderboardFields(Schema):
    name: text(120)
    period: LeaderboardPeriod
    scope: LeaderboardScope
    study_group_id: RowId | None = None
    metric: LeaderboardMetric = LeaderboardMetric.POINTS
    is_active: bool = True

    @model_validator(mode="after")
    def _scope_matches_group(self):
        if (self.scope == LeaderboardScope.STUDY_GROUP) != (self.study_group_id is not None):
            raise ValueError("a study_group leaderboard needs a study group; a global one has none")
        return self


class LeaderboardCreate(LeaderboardFields, WriteSchema):
    pass


class LeaderboardUpdate(UpdateSchema):
    name: text(120) | None = None
    period: LeaderboardPeriod | None = None
    metric: LeaderboardMetric | None = None
    is_active: bool | None = None


class LeaderboardRead(LeaderboardFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


class LeaderboardEntryFields(Schema):
    leaderboard_id: RowId
    period_start: date
    user_id: RowId
    score: int
    rank: PosInt
    previous_rank: PosInt | None = None


class LeaderboardEntryCreate(LeaderboardEntryFields, WriteSchema):
    pass


class LeaderboardEntryRead(LeaderboardEntryFields, ReadSchema):
    id: RowId
    computed_at: UTCDatetime


class DuelFields(Schema):
    challenger_id: RowId
    opponent_id: RowId
    skill_id: RowId | None = None
    status: DuelStatus = DuelStatus.PENDING
    expires_at: UTCDatetime | None = None
    started_at: UTCDatetime | None = None
    ended_at: UTCDatetime | None = None
    winner_id: RowId | None = None

    @model_validator(mode="after")
    def _two_sides(self):
        if self.challenger_id == self.opponent_id:
            raise ValueError("a learner cannot duel themselves")
        if self.winner_id is not None and self.winner_id not in (self.challenger_id, self.opponent_id):
            raise ValueError("the winner must be the challenger or the opponent")
        check_order(self.started_at, self.ended_at, "duel ends before it starts")
        return self


class DuelCreate(DuelFields, WriteSchema):
    pass


class DuelRead(DuelFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime


class DuelParticipantFields(Schema):
    duel_id: RowId
    user_id: RowId
    score: NonNegInt = 0
    outcome: DuelOutcome = DuelOutcome.PENDING


class DuelParticipantCreate(DuelParticipantFields, WriteSchema):
    pass


class DuelParticipantRead(DuelParticipantFields, ReadSchema):
    id: RowId


# Items of the ingest API (POST /api/v1/activity) ---------------------------------------

# What the apps may award: the engine itself awards sessions, quizzes, streaks, badges and duels.
APP_POINTS_REASONS = (PointsReason.APP_REWARD, PointsReason.DAILY_GOAL)
MAX_APP_POINTS = 10_000


class PointsItem(LearnerRefItem):
    """Points a learner earned in the app (a game, a challenge, a daily goal), at a moment."""

    type: Literal["points"]
    amount: int = Field(gt=0, le=MAX_APP_POINTS)
    reason: Literal["app_reward", "daily_goal"] = "app_reward"
    earned_at: SentMoment
    note: text(500) | None = None
