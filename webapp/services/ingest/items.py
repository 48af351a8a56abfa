"""Reading a batch: the envelope as a whole, then each item on its own against its schema.

A batch whose envelope is wrong (not an object, no `items`, more than 1,000 items) is
refused whole (`BatchError`). Inside a good envelope every item is validated alone:
a bad item becomes a rejected result with JSON pointers to its fields, and the others
go on. The common case (every item good) is validated in one pass from the raw bytes.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from webapp.models.core.schemas import ExternalId, IngestItem, Schema
from webapp.models.ingest.schemas import MAX_ITEMS, ItemError, ItemResult


class BatchError(ValueError):
    """The request as a whole cannot be read; `errors` say where and why."""

    def __init__(self, message: str, errors: list[ItemError], status: int = 422) -> None:
        super().__init__(message)
        self.errors = errors
        self.status = status


class Envelope(Schema):
    """The shape every batch has, whatever its items."""

    items: list[Any] = Field(min_length=1, max_length=MAX_ITEMS)


ENVELOPE = TypeAdapter(Envelope)
_ID = TypeAdapter(ExternalId)


@dataclass
class ParsedBatch:
    """Valid items (index, item) in the order sent, and results of the items refused."""

    valid: list[tuple[int, IngestItem]] = field(default_factory=list)
    rejected: list[ItemResult] = field(default_factory=list)
    received: int = 0


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def pointer(*parts: Any) -> str:
    """Return a JSON pointer (RFC 6901) to parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def reason_of(error: dict) -> str:
    """Return a pydantic error's message as a reason a person can act on."""
    message = error.get("msg", "is not valid")
    return message.removeprefix("Value error, ")


def _item_errors(index: int, item: Any, exc: ValidationError, tags: set[str]) -> list[ItemError]:
    found = []
    for error in exc.errors(include_url=False):
        loc = list(error["loc"])
        if loc and isinstance(item, dict) and loc[0] == item.get("type") and loc[0] in tags:
            loc = loc[1:]  # the discriminated union puts the item's type first
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = ["type"]
        found.append(ItemError(pointer=pointer("items", index, *loc), reason=reason_of(error)))
    return found


def _echo_id(item: Any) -> str | None:
    raw = item.get("id") if isinstance(item, dict) else None
    try:
        return _ID.validate_python(raw)
    except ValidationError:
        return None


def parse_batch(raw: bytes, envelope: type[BaseModel], item: TypeAdapter, tags: set[str]) -> ParsedBatch:
    """Read a batch body: the envelope model validates all at once; else item by item."""
    try:
        batch = envelope.model_validate_json(raw)
        return ParsedBatch(valid=list(enumerate(batch.items)), received=len(batch.items))
    except ValidationError:
        pass
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BatchError(
            "The body is not valid JSON.", [ItemError(pointer="", reason=str(exc))], 400
        ) from exc
    try:
        items = ENVELOPE.validate_python(data).items
    except ValidationError as exc:
        errors = [ItemError(pointer=pointer(*e["loc"]), reason=reason_of(e)) for e in exc.errors()]
        raise BatchError("The batch is not an object with 1 to 1,000 items.", errors) from exc
    parsed = ParsedBatch(received=len(items))
    for index, raw_item in enumerate(items):
        try:
            parsed.valid.append((index, item.validate_python(raw_item)))
        except ValidationError as exc:
            errors = _item_errors(index, raw_item, exc, tags)
            parsed.rejected.append(
                ItemResult(index=index, id=_echo_id(raw_item), status="rejected", errors=errors)
            )
    return parsed
