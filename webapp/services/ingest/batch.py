"""The state of one batch while it is written: its results, and the learners' days it touched."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from webapp.models.core.schemas import IngestItem
from webapp.models.ingest.schemas import BatchResult
from webapp.services.ingest.items import ParsedBatch, pointer

# Clocks drift: a moment up to five minutes ahead of ours is taken as now-ish, beyond is refused.
FUTURE_SLACK = timedelta(minutes=5)


@dataclass
class Batch:
    """One batch of one client: every item ends with exactly one result."""

    session: Session
    client_id: int | None  # None: not sent through the API (a roster file an operator imports)
    now: datetime
    # index -> the item's result as a plain dict (validated once, as a BatchResult, at the end)
    results: dict[int, dict] = field(default_factory=dict)
    touched: set[tuple[int, date]] = field(default_factory=set)

    def accept(self, index: int, item: IngestItem, detail: str | None = None) -> None:
        """The item was stored (or changed what was stored)."""
        self.results[index] = {
            "index": index,
            "id": item.id,
            "status": "accepted",
            "detail": detail,
            "errors": [],
        }

    def duplicate(self, index: int, item: IngestItem, detail: str | None = None) -> None:
        """The item was stored before: nothing changed."""
        self.results[index] = {
            "index": index,
            "id": item.id,
            "status": "duplicate",
            "detail": detail,
            "errors": [],
        }

    def reject(self, index: int, item: IngestItem, field_name: str | None, reason: str) -> None:
        """The item cannot be stored; field_name is the field at fault (None: the whole item)."""
        where = pointer("items", index) if field_name is None else pointer("items", index, field_name)
        error = {"pointer": where, "reason": reason}
        self.results[index] = {
            "index": index,
            "id": item.id,
            "status": "rejected",
            "detail": None,
            "errors": [error],
        }

    def is_open(self, index: int) -> bool:
        """Whether the item has no result yet."""
        return index not in self.results

    def mark(self, pairs: Iterable[tuple[int, date]]) -> None:
        """Note learners' local days that the batch changed."""
        self.touched.update(pairs)

    def refuse_future(self, items: list[tuple[int, IngestItem]], fields: tuple[str, ...]) -> list:
        """Reject items with a moment more than five minutes ahead; return the others."""
        limit = self.now + FUTURE_SLACK
        kept = []
        for index, item in items:
            late = next((f for f in fields if (v := getattr(item, f)) is not None and v > limit), None)
            if late is None:
                kept.append((index, item))
            else:
                self.reject(
                    index,
                    item,
                    late,
                    f"is more than 5 minutes ahead of the server clock ({self.now:%Y-%m-%dT%H:%M:%SZ})",
                )
        return kept

    def outcome(self, parsed: ParsedBatch) -> BatchResult:
        """Return the batch's result: every item, in the order sent, with the counts."""
        for result in parsed.rejected:
            self.results[result.index] = result.model_dump()
        ordered = [self.results[i] for i in sorted(self.results)]
        counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
        for result in ordered:
            counts[result["status"]] += 1
        return BatchResult.model_validate({"received": parsed.received, "results": ordered, **counts})
