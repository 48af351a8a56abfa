"""Ingest: batches of activity and roster items from API clients, stored idempotently.

`ingest_activity` and `ingest_roster` take a session, the calling client and the raw body;
they validate each item (schemas beside the models, then the references and the clock),
store the good ones once each, mark the learners' local days they touched for the jobs
(`webapp.services.marks`), audit the batch (one entry with its counts), and return a
result for every item. The caller commits.
"""

from datetime import datetime

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from webapp.models.core.enums import AuditAction
from webapp.models.core.mixins import utcnow
from webapp.models.ingest.schemas import ActivityBatch, ActivityItem, BatchResult, RosterBatch, RosterItem
from webapp.services import audit, marks
from webapp.services.ingest import tallies
from webapp.services.ingest.activity import ActivityWriter
from webapp.services.ingest.batch import Batch
from webapp.services.ingest.clients import ClientRef
from webapp.services.ingest.items import BatchError, parse_batch
from webapp.services.ingest.roster import RosterWriter

ACTIVITY_ITEM = TypeAdapter(ActivityItem)
ROSTER_ITEM = TypeAdapter(RosterItem)
ACTIVITY_TYPES = {"session", "session_event", "attention_span", "focus_metrics", "quiz_attempt",
                  "daily_login", "behavior_event", "points", "path_progress"}  # fmt: skip
ROSTER_TYPES = {"learner", "study_group", "membership", "teacher_assignment"}

__all__ = ["ROSTER_ITEM", "BatchError", "ClientRef", "ingest_activity", "ingest_roster", "write_roster"]


def ingest_activity(
    session: Session,
    client: ClientRef,
    raw: bytes,
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Store a batch of activity items; return one result per item."""
    parsed = parse_batch(raw, ActivityBatch, ACTIVITY_ITEM, ACTIVITY_TYPES)
    batch = Batch(session, client.id, now or utcnow())
    writer = ActivityWriter(batch, parsed.valid)
    writer.sessions()
    writer.quizzes()
    writer.events()
    writer.spans()
    writer.focus()
    writer.behavior()
    tallies.logins(writer)
    tallies.points(writer)
    tallies.progress(writer)
    marks.mark(session, batch.touched)
    return _finish(batch, parsed, client, "activity", remote_addr)


def ingest_roster(
    session: Session,
    client: ClientRef,
    raw: bytes,
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Store a batch of roster items; return one result per item."""
    parsed = parse_batch(raw, RosterBatch, ROSTER_ITEM, ROSTER_TYPES)
    batch = write_roster(session, parsed.valid, client.id, now or utcnow())
    return _finish(batch, parsed, client, "roster", remote_addr)


def write_roster(session: Session, items: list, client_id: int | None, now: datetime) -> Batch:
    """Store validated roster items (index, item) in dependency order; return the batch's state."""
    batch = Batch(session, client_id, now)
    writer = RosterWriter(batch, items)
    writer.learners()
    writer.groups()
    writer.memberships()
    writer.teachers()
    marks.mark(session, batch.touched)
    return batch


def _finish(batch: Batch, parsed, client: ClientRef, kind: str, remote_addr: str | None) -> BatchResult:
    result = batch.outcome(parsed)
    counts = {"received": result.received, "accepted": result.accepted, "duplicate": result.duplicate,
              "rejected": result.rejected}  # fmt: skip
    audit.record(
        batch.session, actor=None, action=AuditAction.ACTION, model="ApiClient", object_id=str(client.id),
        changes={"batch": [None, {"kind": kind, **counts}]},
        summary=f"{kind} batch from API client {client.name}: {_said(counts)}",
        remote_addr=remote_addr,
    )  # fmt: skip
    return result


def _said(counts: dict[str, int]) -> str:
    return ", ".join(f"{value} {name}" for name, value in counts.items())
