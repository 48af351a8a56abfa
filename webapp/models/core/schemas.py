"""Shared pieces of the Pydantic schemas that sit beside each domain's models.

Every model has a `<Model>Read` schema (built from a row with
`model_validate(row)`) and a `<Model>Create` schema whose rules match the
database constraints, so that an import is refused before it reaches the
database. `Create.model_dump(exclude_unset=True)` gives the keyword arguments
of the model; `Update.changes()` gives only the fields a caller set.
"""

import json
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

MAX_JSON_BYTES = 8 * 1024


class Schema(BaseModel):
    """Base of every schema: surrounding whitespace is stripped from strings."""

    model_config = ConfigDict(str_strip_whitespace=True)


class ReadSchema(Schema):
    """A row as exported: built from ORM attributes."""

    model_config = ConfigDict(from_attributes=True)


class WriteSchema(Schema):
    """A payload to create a row: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


class UpdateSchema(WriteSchema):
    """A partial change: fields left out stay as they are.

    A field may be set to None only if it is listed in `clearable`, since the
    other columns are NOT NULL.
    """

    clearable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self):
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in self.clearable:
                raise ValueError(f"{name} cannot be cleared")
        return self

    def changes(self) -> dict[str, Any]:
        """Return the fields the caller set, ready for setattr on a row."""
        return self.model_dump(exclude_unset=True)


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _valid_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA timezone: {value!r}") from exc
    return value


def _small_json(value: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(value, default=str)) > MAX_JSON_BYTES:
        raise ValueError(f"JSON larger than {MAX_JSON_BYTES} bytes")
    return value


def text(max_length: int, min_length: int = 1) -> Any:
    """A stripped string type of bounded length (non-empty by default)."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)
    ]


# An aware datetime, normalised to UTC; a naive one is refused.
UTCDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
Timezone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_valid_timezone)]
Locale = Annotated[str, StringConstraints(max_length=16, pattern=r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")]
Slug = Annotated[str, StringConstraints(max_length=64, pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
Email = Annotated[EmailStr, StringConstraints(max_length=254)]
Url = Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://\S+$")]
SmallJSON = Annotated[dict[str, Any], AfterValidator(_small_json)]

# An id that a client gives: printable ASCII without spaces, as apps and school systems use.
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[!-~]+$")]

RowId = Annotated[int, Field(gt=0)]
NonNegInt = Annotated[int, Field(ge=0)]
PosInt = Annotated[int, Field(gt=0)]
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
UnitFloat = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Hour = Annotated[int, Field(ge=0, le=23)]
GradeLevel = Annotated[int, Field(ge=1, le=12)]


def check_order(earlier: Any, later: Any, message: str) -> None:
    """Raise ValueError(message) when both values are set and `later` comes first."""
    if earlier is not None and later is not None and later < earlier:
        raise ValueError(message)


class IngestItem(WriteSchema):
    """One item of an API batch: `id` is the client's own id for it, echoed in its result.

    Subclasses set `type` (the discriminator of a batch's items). Timestamps must carry a
    zone; rules that need the database or the clock (known learners, nothing more than
    five minutes ahead) are checked by the ingest service, item by item.
    """

    id: ExternalId


class LearnerRefItem(IngestItem):
    """An item about one learner, named by the platform's learner id."""

    learner: ExternalId
