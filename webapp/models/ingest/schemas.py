"""Schemas of API clients and receipts, and the batches and results of the ingest API."""

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from webapp.models.core.enums import ApiScope
from webapp.models.core.schemas import (
    ExternalId,
    ReadSchema,
    RowId,
    Schema,
    UTCDatetime,
    WriteSchema,
    text,
)
from webapp.models.engagement.schemas import (
    AttentionSpanItem,
    BehaviorEventItem,
    DailyLoginItem,
    FocusMetricsItem,
    LearningSessionItem,
    SessionEventItem,
)
from webapp.models.gamification.schemas import PointsItem
from webapp.models.learning.schemas import PathProgressItem, QuizAttemptItem
from webapp.models.social.schemas import MembershipItem, StudyGroupItem, TeacherAssignmentItem
from webapp.models.users.schemas import LearnerUpsertItem

MAX_ITEMS = 1000


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError as exc:
        raise ValueError(f"not an IP address or network: {value!r}") from exc


Network = Annotated[str, Field(max_length=64), AfterValidator(_network)]


class ApiClientFields(Schema):
    name: text(120)
    scopes: list[ApiScope] = Field(min_length=1)
    allowed_networks: list[Network] = Field(default_factory=list, max_length=50)
    rate_limit_per_minute: int = Field(600, ge=1, le=1_000_000)
    is_active: bool = True

    @field_validator("scopes")
    @classmethod
    def _distinct(cls, value: list[ApiScope]) -> list[ApiScope]:
        return sorted(set(value))


class ApiClientCreate(ApiClientFields, WriteSchema):
    token_prefix: text(16)
    token_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    created_by_id: RowId | None = None


class ApiClientRead(ApiClientFields, ReadSchema):
    id: RowId
    token_prefix: str
    revoked_at: UTCDatetime | None = None
    rotated_at: UTCDatetime | None = None
    last_used_at: UTCDatetime | None = None
    last_used_ip: str | None = None
    created_at: UTCDatetime


class IngestReceiptFields(Schema):
    api_client_id: RowId
    kind: text(32)
    external_id: ExternalId


class IngestReceiptCreate(IngestReceiptFields, WriteSchema):
    received_at: UTCDatetime | None = None


class IngestReceiptRead(IngestReceiptFields, ReadSchema):
    received_at: UTCDatetime


# Batches and results ------------------------------------------------------------------

ActivityItem = Annotated[
    LearningSessionItem
    | SessionEventItem
    | AttentionSpanItem
    | FocusMetricsItem
    | QuizAttemptItem
    | DailyLoginItem
    | BehaviorEventItem
    | PointsItem
    | PathProgressItem,
    Field(discriminator="type"),
]
RosterItem = Annotated[
    LearnerUpsertItem | StudyGroupItem | MembershipItem | TeacherAssignmentItem,
    Field(discriminator="type"),
]


class ActivityBatch(WriteSchema):
    """Up to 1,000 activity items of any kind; each is stored or refused on its own."""

    items: list[ActivityItem] = Field(min_length=1, max_length=MAX_ITEMS)


class RosterBatch(WriteSchema):
    """Up to 1,000 roster items; a membership may name a learner or group created earlier in the batch."""

    items: list[RosterItem] = Field(min_length=1, max_length=MAX_ITEMS)


class ItemError(Schema):
    """Why an item was refused: the JSON pointer of the field (or the item) and the reason."""

    pointer: str
    reason: str


class ItemResult(Schema):
    """What became of one item, in the order sent."""

    index: int = Field(ge=0)
    id: ExternalId | None = None
    status: Literal["accepted", "duplicate", "rejected"]
    detail: str | None = None
    errors: list[ItemError] = Field(default_factory=list)


class BatchResult(Schema):
    """Counts and per-item results of a batch: every item sent has exactly one result."""

    received: int = Field(ge=0)
    accepted: int = Field(ge=0)
    duplicate: int = Field(ge=0)
    rejected: int = Field(ge=0)
    results: list[ItemResult]


class ClientInfo(Schema):
    """The calling client, as its token identifies it."""

    name: str
    scopes: list[str]
    rate_limit_per_minute: int


class Problem(Schema):
    """An error of the whole request (RFC 9457 problem details), with per-field errors for 422."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[ItemError] = Field(default_factory=list)
