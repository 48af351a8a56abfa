"""Schemas of connections, study groups, activities and feeds."""

from datetime import date
from typing import Literal

from pydantic import model_validator

from webapp.models.core.enums import ConnectionKind, ConnectionStatus, GroupRole
from webapp.models.core.schemas import (
    Email,
    ExternalId,
    IngestItem,
    LearnerRefItem,
    ReadSchema,
    RowId,
    Schema,
    SentDay,
    UpdateSchema,
    UTCDatetime,
    WriteSchema,
    check_order,
    text,
)


class UserConnectionFields(Schema):
    follower_id: RowId
    followee_id: RowId
    kind: ConnectionKind = ConnectionKind.FOLLOW
    status: ConnectionStatus = ConnectionStatus.ACCEPTED
    accepted_at: UTCDatetime | None = None

    @model_validator(mode="after")
    def _not_self(self):
        if self.follower_id == self.followee_id:
            raise ValueError("a learner cannot connect to themselves")
        return self


class UserConnectionCreate(UserConnectionFields, WriteSchema):
    pass


class UserConnectionRead(UserConnectionFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime


class StudyGroupFields(Schema):
    name: text(120)
    description: text(5000, 0) | None = None
    owner_id: RowId | None = None
    is_active: bool = True
    external_id: ExternalId | None = None


class StudyGroupCreate(StudyGroupFields, WriteSchema):
    pass


class StudyGroupUpdate(UpdateSchema):
    clearable = frozenset({"description", "owner_id"})

    name: text(120) | None = None
    description: text(5000, 0) | None = None
    owner_id: RowId | None = None
    is_active: bool | None = None


class StudyGroupRead(StudyGroupFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


class GroupMemberFields(Schema):
    group_id: RowId
    user_id: RowId
    role: GroupRole = GroupRole.MEMBER
    left_on: date | None = None


class GroupMemberCreate(GroupMemberFields, WriteSchema):
    joined_at: UTCDatetime | None = None


class GroupMemberRead(GroupMemberFields, ReadSchema):
    id: RowId
    joined_at: UTCDatetime


class SocialActivityFields(Schema):
    actor_id: RowId
    verb: text(32)
    object_type: text(32)
    object_id: text(64) | None = None
    summary: text(255)


class SocialActivityCreate(SocialActivityFields, WriteSchema):
    created_at: UTCDatetime | None = None


class SocialActivityRead(SocialActivityFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime


class ActivityFeedFields(Schema):
    recipient_id: RowId
    activity_id: RowId
    is_read: bool = False
    read_at: UTCDatetime | None = None

    @model_validator(mode="after")
    def _read_at_means_read(self):
        if self.read_at is not None and not self.is_read:
            raise ValueError("an item with read_at must be marked read")
        return self


class ActivityFeedCreate(ActivityFeedFields, WriteSchema):
    created_at: UTCDatetime | None = None


class ActivityFeedRead(ActivityFeedFields, ReadSchema):
    id: RowId
    created_at: UTCDatetime

    @model_validator(mode="after")
    def _read_after_created(self):
        check_order(self.created_at, self.read_at, "read before it was delivered")
        return self


# Items of the ingest API (POST /api/v1/roster) -----------------------------------------


class StudyGroupItem(IngestItem):
    """A study group, created or updated by `id`: the platform's group id."""

    type: Literal["study_group"]
    name: text(120)
    description: text(2000, 0) | None = None
    active: bool = True


def _dates_in_order(joined: date | None, left: date | None) -> None:
    if joined is not None and left is not None and left <= joined:
        raise ValueError("left_on must come after joined_on")


class MembershipItem(LearnerRefItem):
    """A learner's membership of a group: joined on a day, and left on a later one (if so)."""

    type: Literal["membership"]
    group: ExternalId
    joined_on: SentDay
    left_on: SentDay | None = None

    @model_validator(mode="after")
    def _in_order(self):
        _dates_in_order(self.joined_on, self.left_on)
        return self


class TeacherAssignmentItem(IngestItem):
    """A teacher (a staff account here, by email) teaches a group; until left_on, if given."""

    type: Literal["teacher_assignment"]
    group: ExternalId
    teacher_email: Email
    assigned_on: SentDay
    left_on: SentDay | None = None

    @model_validator(mode="after")
    def _in_order(self):
        _dates_in_order(self.assigned_on, self.left_on)
        return self
