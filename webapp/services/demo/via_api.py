"""`demo seed --via-api`: the demo's learners, memberships and activity sent through /api/v1.

The generator is the same as the direct seed's; this writer sends what the API carries
(learners with their profile, memberships, sessions and what happens in them, quiz attempts,
logins, clickstream) as roster and activity batches, and writes the rest directly (staff,
catalogue, groups and their teachers). Learner rows the API does not carry (preferences,
freezes, graded results) and the social extras are left out. Every item must come back
accepted: a refusal stops the seed with the API's own reason.
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from webapp.services.demo.database import reset_sequences
from webapp.services.demo.people import group_external_id, learner_external_id
from webapp.services.demo.writer import BulkWriter

# (kind "roster" or "activity", items) -> the API's response body
Send = Callable[[str, list[dict]], dict]
ACTIVITY_ORDER = (
    "learning_sessions",
    "quiz_attempts",
    "session_events",
    "attention_spans",
    "focus_metrics",
    "daily_logins",
    "behavior_events",
)
NOT_SENT = frozenset(
    {
        "learning_preferences",
        "content_preferences",
        "notification_preferences",
        "streak_freezes",
        "assessment_results",
        "user_profiles",
    }
)


class DemoApiError(RuntimeError):
    """The API refused part of the demo."""


def iso(stamp: str | None) -> str | None:
    """Turn the writer's timestamp literal (either backend's) into ISO 8601 in UTC."""
    if stamp is None:
        return None
    return stamp.replace(" ", "T").removesuffix("+00").removesuffix(".000000") + "Z"


class ApiWriter(BulkWriter):
    """A BulkWriter that sends learners and their activity through the API."""

    def __init__(
        self, connection: Connection, on_rows: Callable[[int], None] | None, send: Send, batch: int = 1000
    ) -> None:
        super().__init__(connection, on_rows)
        self.send, self.batch = send, batch
        self.sent = {"roster": 0, "activity": 0}
        self._skills: dict[int, str] = {}
        self._modules: dict[int, tuple[str, int]] = {}

    def flush(self) -> None:
        """Write the direct rows and commit them (the API writes on its own connection); then send."""
        rows = {name: list(buffer) for name, buffer in self.buffers.items()}
        for buffer in self.buffers.values():
            buffer.clear()
        users, members = rows.pop("users", []), rows.pop("group_members", [])
        learners = [r for r in users if self._col(r, "users", "role") == "learner"]
        joined = [r for r in members if self._col(r, "group_members", "role") == "member"]
        self.buffers.setdefault("users", []).extend(r for r in users if r not in learners)
        self.buffers.setdefault("group_members", []).extend(r for r in members if r not in joined)
        for name, found in rows.items():
            if name not in ACTIVITY_ORDER and name not in NOT_SENT:
                self.buffers[name].extend(found)
        super().flush()
        reset_sequences(self.connection)  # rows the API adds must not take the ids written here
        self.connection.commit()
        # COPY (PostgreSQL) writes below SQLAlchemy, which may not know a transaction is open:
        # commit on the driver too, or the API's own connection would wait on these rows' locks.
        self.connection.connection.dbapi_connection.commit()
        self._send("roster", self._roster(learners, rows.get("user_profiles", []), joined))
        for name in ACTIVITY_ORDER:
            found = rows.get(name, [])
            self._send("activity", [self._item(name, r) for row in found for r in self._expand(name, row)])
            self.counts[name] = self.counts.get(name, 0) + len(found)

    def _col(self, row: tuple, table: str, column: str) -> Any:
        return row[self.columns[table].index(column)]

    def _row(self, table: str, row: tuple) -> dict:
        return dict(zip(self.columns[table], row, strict=True))

    def _send(self, kind: str, items: list[dict]) -> None:
        for start in range(0, len(items), self.batch):
            part = items[start : start + self.batch]
            body = self.send(kind, part)
            refused = [r for r in body["results"] if r["status"] == "rejected"]
            if refused:
                example = part[refused[0]["index"]]
                raise DemoApiError(
                    f"the API refused {len(refused)} demo items, e.g. {example}: {refused[0]['errors']}"
                )
            self.sent[kind] += len(part)
            if self._on_rows:
                self._on_rows(len(part))

    def _roster(self, learners: list[tuple], profiles: list[tuple], members: list[tuple]) -> list[dict]:
        by_user = {self._col(p, "user_profiles", "user_id"): self._row("user_profiles", p) for p in profiles}
        items = []
        for row in learners:
            user = self._row("users", row)
            profile = by_user.get(user["id"], {})
            items.append(
                {
                    "type": "learner",
                    "id": user["external_id"],
                    "name": user["display_name"],
                    "email": user["email"],
                    "timezone": user["timezone"],
                    "locale": user["locale"],
                    "grade": profile.get("grade_level"),
                    "school": profile.get("school"),
                }
            )
        for row in members:
            member = self._row("group_members", row)
            items.append(
                {
                    "type": "membership",
                    "id": f"m{member['id']}",
                    "learner": learner_external_id(member["user_id"]),
                    "group": group_external_id(member["group_id"]),
                    "joined_on": iso(member["joined_at"])[:10],
                }
            )
        return items

    def _expand(self, name: str, row: tuple) -> list[tuple]:
        """A day's logins are one row here and one item per login for the API."""
        if name != "daily_logins":
            return [row]
        return [(*row, n) for n in range(self._col(row, name, "login_count"))]

    def _item(self, name: str, row: tuple) -> dict:
        return ITEM_BUILDERS[name](self, dict(zip((*self.columns[name], "n"), row, strict=False)))

    def skill(self, skill_id: int | None) -> str | None:
        """The slug of a skill."""
        self._catalogue()
        return self._skills.get(skill_id) if skill_id is not None else None

    def module(self, module_id: int | None) -> tuple[str | None, int | None]:
        """The (path slug, position) of a path module."""
        self._catalogue()
        return self._modules.get(module_id, (None, None)) if module_id is not None else (None, None)

    def _catalogue(self) -> None:
        """Read the slugs of the catalogue written at set-up (once)."""
        if not self._skills:
            self._skills = dict(self.connection.execute(text("SELECT id, slug FROM skills")).all())
            query = "SELECT m.id, p.slug, m.position FROM path_modules m JOIN learning_paths p"
            query += " ON p.id = m.path_id"
            self._modules = {mid: (slug, pos) for mid, slug, pos in self.connection.execute(text(query))}


_learner = learner_external_id


def _session(r: dict, w: ApiWriter) -> dict:
    path, position = w.module(r["path_module_id"])
    return {
        "type": "session",
        "id": f"s{r['id']}",
        "learner": _learner(r["user_id"]),
        "started_at": iso(r["started_at"]),
        "ended_at": iso(r["ended_at"]),
        "duration_seconds": r["duration_seconds"],
        "device": r["device"],
        "content_type": r["content_type"],
        "skill": w.skill(r["skill_id"]),
        "path": path,
        "module_position": position,
        "completed": bool(r["is_completed"]),
    }


def _in_session(r: dict, kind: str, prefix: str, **extra: Any) -> dict:
    return {
        "type": kind,
        "id": f"{prefix}{r['id']}",
        "learner": _learner(r["user_id"]),
        "session": f"s{r['session_id']}",
        **extra,
    }


def _quiz(r: dict, w: ApiWriter) -> dict:
    return {
        "type": "quiz_attempt",
        "id": f"q{r['id']}",
        "learner": _learner(r["user_id"]),
        "session": f"s{r['session_id']}",
        "skill": w.skill(r["skill_id"]),
        "started_at": iso(r["started_at"]),
        "submitted_at": iso(r["submitted_at"]),
        "score": r["score"],
        "max_score": r["max_score"],
        "correct_count": r["correct_count"],
        "total_questions": r["total_questions"],
        "time_spent_seconds": r["time_spent_seconds"],
        "difficulty": r["difficulty"],
    }


def _login(r: dict, w: ApiWriter) -> dict:
    first, last, count, n = iso(r["first_login_at"]), iso(r["last_login_at"]), r["login_count"], r["n"]
    at = first if n == 0 else last if n == count - 1 else _between(first, last, n / max(count - 1, 1))
    return {
        "type": "daily_login",
        "id": f"d{r['id']}-{n}",
        "learner": _learner(r["user_id"]),
        "at": at,
        "device": r["device"],
    }


def _between(first: str, last: str, share: float) -> str:
    a, b = datetime.fromisoformat(first), datetime.fromisoformat(last)
    return (a + (b - a) * share).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _behavior(r: dict, w: ApiWriter) -> dict:
    item = {
        "type": "behavior_event",
        "id": f"b{r['id']}",
        "learner": _learner(r["user_id"]),
        "name": r["name"],
        "occurred_at": iso(r["occurred_at"]),
        "properties": json.loads(r["properties"]) if r["properties"] else None,
    }
    if r["session_id"]:
        item["session"] = f"s{r['session_id']}"
    return item


ITEM_BUILDERS: dict[str, Callable[[ApiWriter, dict], dict]] = {
    "learning_sessions": lambda w, r: _session(r, w),
    "quiz_attempts": lambda w, r: _quiz(r, w),
    "session_events": lambda w, r: _in_session(
        r,
        "session_event",
        "e",
        event_type=r["event_type"],
        occurred_at=iso(r["occurred_at"]),
        payload=json.loads(r["payload"]) if r["payload"] else None,
    ),
    "attention_spans": lambda w, r: _in_session(
        r,
        "attention_span",
        "a",
        started_at=iso(r["started_at"]),
        ended_at=iso(r["ended_at"]),
        focus_seconds=r["focus_seconds"],
        interruptions=r["interruptions"],
    ),
    "focus_metrics": lambda w, r: _in_session(
        r,
        "focus_metrics",
        "f",
        focus_score=r["focus_score"],
        avg_span_seconds=r["avg_span_seconds"],
        longest_span_seconds=r["longest_span_seconds"],
        distraction_count=r["distraction_count"],
    ),
    "daily_logins": lambda w, r: _login(r, w),
    "behavior_events": lambda w, r: _behavior(r, w),
}
