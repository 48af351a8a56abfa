"""Schemas of users and learner profiles (the password hash is never exported)."""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import SecretStr, StringConstraints, field_validator, model_validator

from webapp.models.core.enums import AgeBand, Role
from webapp.models.core.schemas import (
    Email,
    ExternalId,
    GradeLevel,
    IngestItem,
    Locale,
    PosInt,
    ReadSchema,
    RowId,
    Schema,
    Timezone,
    UpdateSchema,
    Url,
    UTCDatetime,
    WriteSchema,
    text,
)


class UserFields(Schema):
    email: Email | None = None
    display_name: text(120)
    role: Role
    timezone: Timezone = "UTC"
    locale: Locale = "en"
    is_active: bool = True
    external_id: ExternalId | None = None

    @model_validator(mode="after")
    def _staff_have_email(self):
        if self.role != Role.LEARNER and self.email is None:
            raise ValueError("staff log in with their email: it is required")
        return self


class UserCreate(UserFields, WriteSchema):
    """A new account; only staff may have a password."""

    password: SecretStr | None = None

    @model_validator(mode="after")
    def _learners_have_no_password(self):
        if self.role == Role.LEARNER and self.password is not None:
            raise ValueError("learners never log in here: they have no password")
        return self


class UserUpdate(UpdateSchema):
    email: Email | None = None
    display_name: text(120) | None = None
    role: Role | None = None
    timezone: Timezone | None = None
    locale: Locale | None = None
    is_active: bool | None = None


class UserRead(UserFields, ReadSchema):
    id: RowId
    last_seen_at: UTCDatetime | None = None
    created_at: UTCDatetime
    updated_at: UTCDatetime


class UserProfileFields(Schema):
    grade_level: GradeLevel | None = None
    school: text(200) | None = None
    bio: text(5000, 0) | None = None
    avatar_url: Url | None = None
    date_of_birth: date | None = None
    age_band: AgeBand | None = None
    goals: text(5000, 0) | None = None

    @field_validator("date_of_birth")
    @classmethod
    def _born_in_the_past(cls, value: date | None) -> date | None:
        if value is not None and value > datetime.now(UTC).date():
            raise ValueError("date of birth is in the future")
        return value


class UserProfileCreate(UserProfileFields, WriteSchema):
    user_id: RowId


class UserProfileUpdate(UserProfileFields, UpdateSchema):
    clearable = frozenset(UserProfileFields.model_fields)


class UserProfileRead(UserProfileFields, ReadSchema):
    user_id: RowId
    created_at: UTCDatetime
    updated_at: UTCDatetime


# Items of the ingest API (POST /api/v1/roster) -----------------------------------------


class LearnerUpsertItem(IngestItem):
    """A learner, created or updated by `id`: the platform's learner id, shared by every client."""

    type: Literal["learner"]
    name: text(120)
    email: Email | None = None
    timezone: Timezone = "UTC"
    locale: Locale = "en"
    grade: GradeLevel | None = None
    school: text(200) | None = None
    active: bool = True


class LoginFailureFields(Schema):
    scope: Literal["account", "address", "pair"]
    key_digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    failures: PosInt = 1
    first_failed_at: UTCDatetime
    last_failed_at: UTCDatetime

    @model_validator(mode="after")
    def _failed_in_order(self):
        if self.last_failed_at < self.first_failed_at:
            raise ValueError("the last failure cannot come before the first")
        return self


class LoginFailureCreate(LoginFailureFields, WriteSchema):
    pass


class LoginFailureRead(LoginFailureFields, ReadSchema):
    id: RowId
