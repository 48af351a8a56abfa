"""Activity items -> raw rows: sessions first, then what lives inside sessions, then the rest.

Every item names its learner by the platform's id; an unknown learner is refused (learners
come in roster batches). Items inside a session name it by this client's id for it: the
session may have come in an earlier batch or earlier in this one. Each row gets its
learner-local day and hour from `webapp.services.timezones`, once, here.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from webapp.models import (
    AttentionSpan,
    BehaviorEvent,
    FocusMetrics,
    LearningSession,
    QuizAttempt,
    SessionEvent,
)
from webapp.models.core.schemas import IngestItem
from webapp.services.ingest import refs
from webapp.services.ingest.batch import Batch
from webapp.services.ingest.sent import Entry, SentKind, store
from webapp.services.timezones import LocalClock

SESSIONS = SentKind(
    LearningSession.__table__,
    gate="ended_at",
    completes=("duration_seconds", "is_completed"),
    days=lambda row: [(row["user_id"], row["local_day"])],
)
QUIZZES = SentKind(
    QuizAttempt.__table__,
    gate="submitted_at",
    completes=("score", "correct_count", "time_spent_seconds"),
)
# Nothing derived reads session events or the clickstream (rollups, streaks and points stand on
# sessions, spans, focus, quizzes, logins and points): storing them marks no day for the jobs.
EVENTS = SentKind(SessionEvent.__table__, days=lambda row: [])
SPANS = SentKind(AttentionSpan.__table__)
BEHAVIOR = SentKind(BehaviorEvent.__table__, days=lambda row: [])

Items = list[tuple[int, IngestItem]]


class ActivityWriter:
    """Writes one batch's activity items, kind by kind."""

    def __init__(self, batch: Batch, items: Items) -> None:
        self.batch = batch
        self.clock = LocalClock()
        self.by_type: dict[str, Items] = defaultdict(list)
        for index, item in items:
            self.by_type[item.type].append((index, item))
        self.learners = refs.learners(batch.session, {item.learner for _, item in items})
        self.session_days: dict[int, date] = {}  # session row id -> its local day

    def known(self, kind: str, moments: tuple[str, ...]) -> Items:
        """This kind's items with a known learner and no moment ahead of the clock."""
        kept = []
        for index, item in self.by_type.get(kind, []):
            if item.learner in self.learners:
                kept.append((index, item))
            else:
                self.batch.reject(
                    index, item, "learner", "no learner has this id: send the learner in a roster batch first"
                )
        return self.batch.refuse_future(kept, moments)

    def base(self, item: IngestItem, moment) -> dict:
        """The columns every sent raw row has: learner, the client's key, local day and hour."""
        learner = self.learners[item.learner]
        day, hour = self.clock.at(moment, learner.timezone)
        return {"user_id": learner.id, "api_client_id": self.batch.client_id, "external_id": item.id,
                "local_day": day, "local_hour": hour}  # fmt: skip

    def sessions(self) -> None:
        """Learning sessions: their skill and module by slug and position."""
        items = self.known("session", ("started_at", "ended_at"))
        skills = refs.skills(self.batch.session, {i.skill for _, i in items if i.skill})
        modules = refs.modules(self.batch.session, {(i.path, i.module_position) for _, i in items if i.path})
        entries = []
        for index, item in items:
            if item.skill and item.skill not in skills:
                self.batch.reject(index, item, "skill", "no skill has this slug")
            elif item.path and (item.path, item.module_position) not in modules:
                self.batch.reject(index, item, "module_position", "the path has no module at this position")
            else:
                row = self.base(item, item.started_at) | {
                    "started_at": item.started_at, "ended_at": item.ended_at,
                    "duration_seconds": item.duration_seconds, "device": item.device,
                    "content_type": item.content_type, "skill_id": skills.get(item.skill),
                    "path_module_id": modules.get((item.path, item.module_position)),
                    "is_completed": item.completed,
                }  # fmt: skip
                entries.append((index, item, row))
        store(self.batch, SESSIONS, entries)

    def with_sessions(self, items: Items) -> list[tuple[int, IngestItem, int | None]]:
        """Items whose session (if they name one) is this client's and their learner's, with its row id."""
        wanted = {item.session for _, item in items if item.session}
        named = refs.client_sessions(self.batch.session, self.batch.client_id, wanted)
        self.session_days.update({row_id: day for row_id, _, day in named.values()})
        kept = []
        for index, item in items:
            learner_id = self.learners[item.learner].id
            found = named.get(item.session) if item.session else (None, learner_id, None)
            if found is None:
                self.batch.reject(index, item, "session", "this client sent no session with this id")
            elif found[1] != learner_id:
                self.batch.reject(index, item, "learner", "the session belongs to another learner")
            else:
                kept.append((index, item, found[0]))
        return kept

    def in_sessions(self, kind: str, moments: tuple[str, ...], build: Callable) -> list[Entry]:
        """This kind's items with their rows, built by build(item, session row id)."""
        return [(i, item, build(item, sid)) for i, item, sid in self.with_sessions(self.known(kind, moments))]

    def events(self) -> None:
        """Session events."""
        build = lambda item, sid: self.base(item, item.occurred_at) | {  # noqa: E731
            "session_id": sid, "event_type": item.event_type, "occurred_at": item.occurred_at,
            "payload": item.payload}  # fmt: skip
        store(self.batch, EVENTS, self.in_sessions("session_event", ("occurred_at",), build))

    def spans(self) -> None:
        """Attention spans."""
        build = lambda item, sid: self.base(item, item.started_at) | {  # noqa: E731
            "session_id": sid, "started_at": item.started_at, "ended_at": item.ended_at,
            "focus_seconds": item.focus_seconds, "interruptions": item.interruptions}  # fmt: skip
        store(self.batch, SPANS, self.in_sessions("attention_span", ("started_at", "ended_at"), build))

    def focus(self) -> None:
        """Focus metrics, one per session."""

        def build(item, sid):
            row = self.base(item, self.batch.now)
            del row["local_day"], row["local_hour"]
            return row | {"session_id": sid, "focus_score": item.focus_score,
                          "avg_span_seconds": item.avg_span_seconds,
                          "longest_span_seconds": item.longest_span_seconds,
                          "distraction_count": item.distraction_count}  # fmt: skip

        # A session's focus counts on the session's local day.
        kind = SentKind(
            FocusMetrics.__table__, days=lambda row: [(row["user_id"], self.session_days[row["session_id"]])]
        )
        store(self.batch, kind, self.in_sessions("focus_metrics", (), build), any_conflict=True)

    def behavior(self) -> None:
        """Behaviour events (a session is optional)."""
        build = lambda item, sid: self.base(item, item.occurred_at) | {  # noqa: E731
            "session_id": sid, "name": item.name, "occurred_at": item.occurred_at,
            "properties": item.properties}  # fmt: skip
        store(self.batch, BEHAVIOR, self.in_sessions("behavior_event", ("occurred_at",), build))

    def quizzes(self) -> None:
        """Quiz attempts: a session and a skill are optional; the day is the submitted one."""
        items = self.known("quiz_attempt", ("started_at", "submitted_at"))
        skills = refs.skills(self.batch.session, {i.skill for _, i in items if i.skill})
        entries = []
        for index, quiz, sid in self.with_sessions(items):
            if quiz.skill and quiz.skill not in skills:
                self.batch.reject(index, quiz, "skill", "no skill has this slug")
                continue
            row = self.base(quiz, quiz.submitted_at or quiz.started_at) | {
                "session_id": sid, "skill_id": skills.get(quiz.skill), "started_at": quiz.started_at,
                "submitted_at": quiz.submitted_at, "score": quiz.score, "max_score": quiz.max_score,
                "correct_count": quiz.correct_count, "total_questions": quiz.total_questions,
                "time_spent_seconds": quiz.time_spent_seconds, "difficulty": quiz.difficulty,
            }  # fmt: skip
            entries.append((index, quiz, row))
        store(self.batch, QUIZZES, entries)
