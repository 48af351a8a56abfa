"""Activity items that add to a row rather than make one: logins, points, path progress.

- A login adds to the learner's row of that local day (count, first and last time); each
  login item is counted once, by a receipt of its id.
- Points go to the ledger under the key `api:<client>:<id>` (so once), and to the balance.
- Path progress is the latest state of a learner's enrolment: an item older than what is
  stored (by its last activity) changes nothing.
"""

from collections import defaultdict

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from webapp.models import DailyLogin, IngestReceipt, PathEnrolment, PathModule, PointsTransaction
from webapp.models.core.enums import PointsReason
from webapp.services.ingest import refs
from webapp.services.ingest.activity import ActivityWriter
from webapp.services.points import append_to_ledger, dialect_insert

LOGINS = DailyLogin.__table__


def logins(writer: ActivityWriter) -> None:
    """Count each new login on its learner's local day."""
    batch = writer.batch
    firsts: dict[str, tuple] = {}
    for index, item in writer.known("daily_login", ("at",)):
        if item.id in firsts:
            batch.duplicate(index, item, "the same login is earlier in this batch")
        else:
            firsts[item.id] = (index, item)
    new = _receipts(batch.session, batch.client_id, "daily_login", sorted(firsts))
    days: dict[tuple[int, object], list] = defaultdict(list)
    for external_id, (index, item) in firsts.items():
        if external_id not in new:
            batch.duplicate(index, item)
            continue
        learner = writer.learners[item.learner]
        day, _ = writer.clock.at(item.at, learner.timezone)
        days[(learner.id, day)].append(item)
        batch.accept(index, item, "counted")
    _add_logins(batch.session, days)
    batch.mark(days)


def _receipts(session: Session, client_id: int, kind: str, external_ids: list[str]) -> set[str]:
    if not external_ids:
        return set()
    rows = [{"api_client_id": client_id, "kind": kind, "external_id": e} for e in external_ids]
    stmt = dialect_insert(session, IngestReceipt.__table__).on_conflict_do_nothing()
    return set(session.scalars(stmt.returning(IngestReceipt.external_id), rows))


def _add_logins(session: Session, days: dict) -> None:
    rows = []
    for (user_id, day), items in sorted(days.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        ordered = sorted(items, key=lambda item: item.at)
        rows.append({"user_id": user_id, "day": day, "first_login_at": ordered[0].at,
                     "last_login_at": ordered[-1].at, "login_count": len(items),
                     "device": ordered[-1].device})  # fmt: skip
    if not rows:
        return
    stmt = dialect_insert(session, LOGINS)
    old, new = LOGINS.c, stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "day"],
        set_={
            "login_count": old.login_count + new.login_count,
            "first_login_at": case(
                (new.first_login_at < old.first_login_at, new.first_login_at), else_=old.first_login_at
            ),
            "last_login_at": case(
                (new.last_login_at > old.last_login_at, new.last_login_at), else_=old.last_login_at
            ),
            "device": case((new.last_login_at > old.last_login_at, new.device), else_=old.device),
        },
    )
    session.execute(stmt, rows)


def points(writer: ActivityWriter) -> None:
    """Append the points earned in the app to the ledger, once per item."""
    batch = writer.batch
    rows, entries = [], []
    for index, item in writer.known("points", ("earned_at",)):
        row = writer.base(item, item.earned_at)
        key = f"api:{batch.client_id}:{item.id}"
        rows.append({"user_id": row["user_id"], "amount": item.amount, "reason": PointsReason(item.reason),
                     "source_type": "api_client", "source_id": str(batch.client_id), "idempotency_key": key,
                     "note": item.note, "created_at": item.earned_at, "local_day": row["local_day"],
                     "local_hour": row["local_hour"]})  # fmt: skip
        entries.append((index, item, rows[-1]))
    added = append_to_ledger(batch.session, rows)
    stored = _stored_points(
        batch.session, [r["idempotency_key"] for r in rows if r["idempotency_key"] not in added]
    )
    seen: set[str] = set()
    for index, item, row in entries:
        key = row["idempotency_key"]
        if key in added and key not in seen:
            batch.accept(index, item, "credited")
            batch.mark([(row["user_id"], row["local_day"])])
        elif (
            stored.get(key, ()) == (row["user_id"], row["amount"], row["reason"], row["created_at"])
            or key in seen
        ):
            batch.duplicate(index, item)
        else:
            batch.reject(
                index, item, "amount", "differs from the points this client sent before under the same id"
            )
        seen.add(key)


def _stored_points(session: Session, keys: list[str]) -> dict[str, tuple]:
    pt = PointsTransaction
    query = select(pt.idempotency_key, pt.user_id, pt.amount, pt.reason, pt.created_at)
    return (
        {key: tuple(rest) for key, *rest in session.execute(query.where(pt.idempotency_key.in_(keys)))}
        if keys
        else {}
    )


def progress(writer: ActivityWriter) -> None:
    """Create or bring up to date each learner's enrolment in a path."""
    batch = writer.batch
    items = writer.known("path_progress", ("enrolled_at", "last_activity_at", "completed_at"))
    paths = refs.paths(batch.session, {item.path for _, item in items})
    positions = _positions(batch.session, list(paths.values()))
    for index, item in items:
        path_id = paths.get(item.path)
        if path_id is None:
            batch.reject(index, item, "path", "no learning path has this slug")
            continue
        modules = positions.get(path_id, {})
        if item.modules_completed > len(modules):
            batch.reject(index, item, "modules_completed", f"the path has {len(modules)} modules")
        elif item.current_module_position and item.current_module_position not in modules:
            batch.reject(index, item, "current_module_position", "the path has no module at this position")
        else:
            values = {
                "status": item.status, "enrolled_at": item.enrolled_at,
                "modules_completed": item.modules_completed,
                "current_module_id": modules.get(item.current_module_position),
                "last_activity_at": item.last_activity_at, "completed_at": item.completed_at,
            }  # fmt: skip
            _enrol(writer, index, item, path_id, values)


def _positions(session: Session, path_ids: list[int]) -> dict[int, dict[int, int]]:
    found: dict[int, dict[int, int]] = defaultdict(dict)
    if path_ids:
        query = select(PathModule.path_id, PathModule.position, PathModule.id).where(
            PathModule.path_id.in_(path_ids)
        )
        for path_id, position, module_id in session.execute(query):
            found[path_id][position] = module_id
    return found


def _enrol(writer: ActivityWriter, index: int, item, path_id: int, values: dict) -> None:
    batch, pe = writer.batch, PathEnrolment.__table__
    user_id = writer.learners[item.learner].id
    stmt = dialect_insert(batch.session, pe).on_conflict_do_nothing(index_elements=["user_id", "path_id"])
    if batch.session.execute(
        stmt.returning(pe.c.id), [{"user_id": user_id, "path_id": path_id, **values}]
    ).first():
        batch.accept(index, item, "created")
        return
    key = (pe.c.user_id == user_id) & (pe.c.path_id == path_id)
    old = batch.session.execute(select(pe).where(key).with_for_update()).one()._mapping
    if all(old[name] == value for name, value in values.items()):
        batch.duplicate(index, item)
    elif (values["last_activity_at"] or values["enrolled_at"]) < (
        old["last_activity_at"] or old["enrolled_at"]
    ):
        batch.duplicate(index, item, "older than the progress stored")
    else:
        batch.session.execute(update(pe).where(key).values(values))
        batch.accept(index, item, "updated")
