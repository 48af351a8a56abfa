"""Shared pieces of the Pydantic schemas that sit beside each domain's models.

Every model has a `<Model>Read` schema (built from a row with
`model_validate(row)`) and a `<Model>Create` schema whose rules match the
database constraints, so that an import is refused before it reaches the
database. `Create.model_dump(exclude_unset=True)` gives the keyword arguments
of the model; `Update.changes()` gives only the fields a caller set.
"""

import json
from datetime import UTC, date, datetime
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
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # year 1 at +05:30 has no UTC time
        raise ValueError("is out of range") from exc


def _valid_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA timezone: {value!r}") from exc
    return value


def _small_json(value: dict[str, Any]) -> dict[str, Any]:
    try:
        encoded = json.dumps(value, default=str, allow_nan=False)
    except ValueError as exc:
        raise ValueError("JSON numbers must be finite") from exc
    if len(encoded) > MAX_JSON_BYTES:
        raise ValueError(f"JSON larger than {MAX_JSON_BYTES} bytes")
    if "\\u0000" in encoded:  # PostgreSQL's JSONB cannot hold a NUL character
        raise ValueError("JSON text cannot contain the NUL character")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("cannot contain the NUL character")
    return value


def text(max_length: int, min_length: int = 1) -> Any:
    """A stripped string type of bounded length (non-empty by default), without NUL characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_nul),
    ]


# An aware datetime, normalised to UTC; a naive one is refused.
UTCDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
Timezone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_valid_timezone)]
Locale = Annotated[str, StringConstraints(max_length=16, pattern=r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")]
Slug = Annotated[str, StringConstraints(max_length=64, pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
# A reference to a stored slug: looser than a new one, so that older slugs ("a--b") can be named.
SlugRef = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Email = Annotated[EmailStr, StringConstraints(max_length=254)]
Url = Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://\S+$")]
SmallJSON = Annotated[dict[str, Any], AfterValidator(_small_json)]
Seconds = Annotated[int, Field(ge=0, le=86_400)]  # at most a day
Count = Annotated[int, Field(ge=0, le=100_000)]
Position = Annotated[int, Field(ge=1, le=10_000)]  # of a module in a path

# What clients send: moments and days of this century (older or later ones are typos or junk,
# and year 1 or 9999 would overflow local-time arithmetic).
SENT_FROM, SENT_UNTIL = date(2000, 1, 1), date(2100, 1, 1)


def _sent_moment(value: datetime) -> datetime:
    if not datetime(2000, 1, 1, tzinfo=UTC) <= value < datetime(2100, 1, 1, tzinfo=UTC):
        raise ValueError("must lie between the years 2000 and 2099")
    return value


def _sent_day(value: date) -> date:
    if not SENT_FROM <= value < SENT_UNTIL:
        raise ValueError("must lie between the years 2000 and 2099")
    return value


SentMoment = Annotated[AwareDatetime, AfterValidator(_to_utc), AfterValidator(_sent_moment)]
SentDay = Annotated[date, AfterValidator(_sent_day)]

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
