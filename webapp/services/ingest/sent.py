"""Storing items that become one raw row each, keyed by (client, client's id).

Each new key is inserted; an item whose key is stored already (a retry, the same item in
two batches, or a later message about the same session or quiz) is compared with the row:
- the same values: a duplicate;
- the row waits for its end (a session's `ended_at`, a quiz's `submitted_at`) and the item
  brings it: the row is completed, once (a conditional UPDATE, safe against racing retries);
- an item that only lacks what the row has since learned (the start, sent again after the
  end): a duplicate;
- anything else: rejected, naming the first field that differs. Nothing is overwritten.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, update

from webapp.models.core.schemas import IngestItem
from webapp.services.ingest.batch import Batch
from webapp.services.ingest.writes import differences, insert_new, stored_rows

Entry = tuple[int, IngestItem, dict[str, Any]]  # (index in the batch, item, row to write)


@dataclass(frozen=True)
class SentKind:
    """How one kind of item is stored and completed."""

    table: Table
    # The field whose arrival completes a row, and the fields it brings along.
    gate: str | None = None
    completes: tuple[str, ...] = ()
    # The (learner, local day) pairs a stored row touches.
    days: Callable[[dict[str, Any]], list[tuple[int, date]]] = lambda row: [
        (row["user_id"], row["local_day"])
    ]


def store(batch: Batch, kind: SentKind, entries: list[Entry], any_conflict: bool = False) -> None:
    """Store each entry once; give every entry its result.

    any_conflict: the table has another unique rule (one focus row per session) that may also
    refuse a row; such an item is rejected.
    """
    firsts: dict[str, Entry] = {}
    later: list[Entry] = []
    for entry in entries:
        if entry[1].id in firsts:
            later.append(entry)
        else:
            firsts[entry[1].id] = entry
    inserted = insert_new(batch.session, kind.table, [row for _, _, row in firsts.values()], any_conflict)
    for index, item, row in firsts.values():
        if item.id in inserted:
            batch.accept(index, item, "created")
            batch.mark(kind.days(row))
    pending = [e for e in firsts.values() if e[1].id not in inserted] + later
    if pending:
        stored = stored_rows(batch.session, kind.table, batch.client_id, sorted({e[1].id for e in pending}))
        for entry in sorted(pending, key=lambda e: e[0]):
            _against_stored(batch, kind, entry, stored)


def _against_stored(batch: Batch, kind: SentKind, entry: Entry, stored: dict) -> None:
    index, item, row = entry
    old = stored.get(item.id)
    if old is None:  # not ours: another unique rule of the table refused it
        batch.reject(index, item, None, "conflicts with a row stored before under another id")
        return
    changed = differences(row, old)
    waiting = kind.gate is not None and old._mapping[kind.gate] is None
    if not changed:
        batch.duplicate(index, item)
    elif kind.gate and set(changed) <= {kind.gate, *kind.completes} and row[kind.gate] is None:
        batch.duplicate(index, item, f"stored already, with its {kind.gate}")
    elif waiting and set(changed) <= {kind.gate, *kind.completes}:
        _complete(batch, kind, entry, old, stored)
    else:
        batch.reject(
            index, item, _field(changed[0]), "differs from what this client sent before under the same id"
        )


def _complete(batch: Batch, kind: SentKind, entry: Entry, old: Any, stored: dict) -> None:
    index, item, row = entry
    values = {
        name: row[name] for name in (kind.gate, *kind.completes, "local_day", "local_hour") if name in row
    }
    table = kind.table
    done = batch.session.execute(
        update(table).where(table.c.id == old.id, table.c[kind.gate].is_(None)).values(values)
    ).rowcount
    if not done:  # a racing retry completed it first: it is now what this item says, or a conflict
        fresh = stored_rows(batch.session, table, batch.client_id, [item.id])[item.id]
        stored[item.id] = fresh
        _against_stored(batch, SentKind(table), entry, stored)
        return
    batch.accept(index, item, "completed")
    batch.mark(kind.days({**old._mapping}) + kind.days(row))
    stored[item.id] = _Replaced(old, values)


class _Replaced:
    """A stored row as it is after this batch completed it."""

    def __init__(self, old: Any, values: dict[str, Any]) -> None:
        self._mapping = {**old._mapping, **values}
        self.id = old.id


# API field names where they differ from the column names.
FIELD_NAMES = {
    "user_id": "learner", "session_id": "session", "skill_id": "skill", "path_module_id": "module_position",
    "is_completed": "completed", "occurred_at": "occurred_at",
}  # fmt: skip


def _field(column: str) -> str:
    return FIELD_NAMES.get(column, column)
