"""One learning session: its events, attention spans, focus metrics and quiz attempt."""

import math
import random
from dataclasses import dataclass, field

from webapp.services.demo.calendar import HOUR_FOCUS
from webapp.services.demo.context import Context, LearnerInfo, ModuleInfo

# Interruptions per focused minute, by content: videos invite tab switching, games hold attention.
DISTRACTION = {"video": 0.2, "reading": 0.16, "practice": 0.1, "quiz": 0.07, "game": 0.06, "live_class": 0.13}
QUESTIONS = {"quiz": (8, 10), "practice": (4, 6)}
LEVEL = {0.2: "easy", 0.5: "medium", 0.8: "hard"}
PASS_PERCENT = 60.0

SESSION_COLUMNS = ("id", "user_id", "started_at", "ended_at", "duration_seconds", "device", "content_type")
# Rows of raw tables end with their learner-local day and hour (and, for the tables the API
# writes, no client and no client id: the demo is not sent by a client).
LOCAL = ("local_day", "local_hour")
UNSENT = ("api_client_id", "external_id")
NOT_SENT = (None, None)
SESSION_COLUMNS += ("skill_id", "path_module_id", "is_completed", *UNSENT, *LOCAL)
EVENT_COLUMNS = ("id", "session_id", "user_id", "event_type", "occurred_at", "payload", *UNSENT, *LOCAL)
SPAN_COLUMNS = ("id", "session_id", "user_id", "started_at", "ended_at", "focus_seconds", "interruptions")
SPAN_COLUMNS += (*UNSENT, *LOCAL)
FOCUS_COLUMNS = ("id", "session_id", "user_id", "focus_score", "avg_span_seconds", "longest_span_seconds")
FOCUS_COLUMNS += ("distraction_count", "computed_at", *UNSENT)
QUIZ_COLUMNS = ("id", "user_id", "skill_id", "path_module_id", "session_id", "started_at", "submitted_at")
QUIZ_COLUMNS += ("score", "max_score", "correct_count", "total_questions", "time_spent_seconds", "difficulty")
QUIZ_COLUMNS += (*UNSENT, *LOCAL)
RESULT_COLUMNS = ("id", "user_id", "quiz_attempt_id", "assessment_name", "percent", "passed", "feedback")
RESULT_COLUMNS += ("graded_at", "graded_by_id")


@dataclass
class Learner:
    """A learner being generated: identity, traits and the running state of their learning."""

    info: LearnerInfo
    rng: random.Random
    device: str
    distractibility: float
    aptitude: float
    abilities: dict[int, float] = field(default_factory=dict)
    position: int = 0
    joined: int = 0
    last_seen: int = 0


@dataclass
class Planned:
    """What a session is meant to be before it happens."""

    start: int
    hour: int
    module: ModuleInfo
    content: str
    device: str
    seconds: int
    cut: int  # focused seconds actually spent: less than planned when abandoned

    @property
    def abandoned(self) -> bool:
        """Whether the learner left before the end."""
        return self.cut < self.seconds


class SessionWriter:
    """Appends the rows of sessions to the writer's buffers."""

    def __init__(self, ctx: Context) -> None:
        w = ctx.writer
        self.ctx, self.writer, self.ts = ctx, w, w.fmt.ts
        self.sessions = w.table("learning_sessions", SESSION_COLUMNS)
        self.events = w.table("session_events", EVENT_COLUMNS)
        self.spans = w.table("attention_spans", SPAN_COLUMNS)
        self.focus = w.table("focus_metrics", FOCUS_COLUMNS)
        self.quizzes = w.table("quiz_attempts", QUIZ_COLUMNS)
        self.results = w.table("assessment_results", RESULT_COLUMNS)
        self.skill_level = {s.id: s.difficulty for s in ctx.skills}
        self.skill_name = {s.id: s.name for s in ctx.skills}

    def write(self, learner: Learner, plan: Planned) -> tuple[int, int]:
        """Write one session and what happened in it; return its id and when it ended."""
        session_id = self.writer.next_id("learning_sessions")
        marks, answers = self._marks(learner, plan)
        end, spans, focused = self._timeline(learner, plan, session_id, marks)
        answers = [correct for at, correct in answers if at <= plan.cut]
        uid, tz = learner.info.id, learner.info.timezone
        completed = not plan.abandoned
        self.sessions.append(
            (
                session_id,
                uid,
                self.ts(plan.start),
                self.ts(end),
                end - plan.start,
                plan.device,
                plan.content,
                plan.module.skill_id,
                plan.module.id,
                completed,
                *NOT_SENT,
                *self.ctx.local(plan.start, tz),
            )
        )
        self._focus(uid, session_id, spans, focused, end - plan.start, end)
        if answers:
            self._quiz(learner, plan, session_id, answers, end)
        else:
            self._practise(learner, plan.module.skill_id, 0.02)
        return session_id, end

    def _marks(self, learner: Learner, plan: Planned) -> tuple[list[tuple[int, str, str | None]], list]:
        """Events placed on the focused-time axis: video controls, answers and hints."""
        rng, seconds = learner.rng, plan.seconds
        marks: list[tuple[int, str, str | None]] = []
        answers: list[tuple[int, bool]] = []
        if plan.content == "video":
            marks.append((2, "video_play", None))
            if rng.random() < 0.3:
                at = rng.randrange(10, max(11, seconds))
                marks.append((at, "video_seek", f'{{"to": {min(seconds, at + rng.randrange(-60, 120))}}}'))
        if plan.content in QUESTIONS:
            low, high = QUESTIONS[plan.content]
            count = rng.randint(low, high)
            p = self._p_correct(learner, plan.module.skill_id)
            step = seconds / (count + 1)
            for number in range(1, count + 1):
                at, correct = int(step * number), rng.random() < p
                if rng.random() < 0.35 * (1 - p):
                    marks.append((max(1, at - 5), "hint", f'{{"question": {number}}}'))
                answers.append((at, correct))
                payload = f'{{"question": {number}, "correct": {"true" if correct else "false"}}}'
                marks.append((at, "quiz_answer", payload))
        if plan.content == "video":
            marks.append((seconds, "video_pause", None))
        marks.sort(key=lambda mark: mark[0])
        return marks, answers

    def _timeline(
        self, learner: Learner, plan: Planned, session_id: int, marks: list
    ) -> tuple[int, list, int]:
        """Walk focused stretches and interruptions; write events and spans."""
        rng, ts, events, next_id = learner.rng, self.ts, self.events, self.writer.next_id
        uid, local, tz = learner.info.id, self.ctx.local, learner.info.timezone
        per_second = DISTRACTION[plan.content] * learner.distractibility / HOUR_FOCUS[plan.hour] ** 2 / 60
        seconds = plan.cut
        t, focused, index, spans = plan.start, 0, 0, []
        events.append(
            (next_id("session_events"), session_id, uid, "start", ts(t), None, *NOT_SENT, *local(t, tz))
        )
        while True:
            span = max(20, int(rng.expovariate(per_second))) if per_second else seconds
            span = min(span, seconds - focused)
            while index < len(marks) and marks[index][0] <= focused + span and marks[index][0] <= seconds:
                at, kind, payload = marks[index]
                moment = t + at - focused
                events.append(
                    (
                        next_id("session_events"),
                        session_id,
                        uid,
                        kind,
                        ts(moment),
                        payload,
                        *NOT_SENT,
                        *local(moment, tz),
                    )
                )
                index += 1
            spans.append((t, t + span, span))
            t += span
            focused += span
            if focused >= seconds:
                break
            t = self._interrupt(rng, session_id, uid, tz, t)
        end = t + rng.randrange(1, 15)
        events.append(
            (next_id("session_events"), session_id, uid, "end", ts(end), None, *NOT_SENT, *local(end, tz))
        )
        self._spans(uid, tz, session_id, spans)
        return end, spans, focused

    def _interrupt(self, rng: random.Random, session_id: int, uid: int, tz: str, t: int) -> int:
        """A tab switch, a pause or an idle stretch; return when attention came back."""
        roll, next_id = rng.random(), self.writer.next_id
        if roll < 0.6:
            kinds, gap = ("tab_hidden", "tab_visible"), 10 + int(rng.expovariate(1 / 60))
        elif roll < 0.9:
            kinds, gap = ("pause", "resume"), 20 + int(rng.expovariate(1 / 120))
        else:
            kinds, gap = ("idle", "resume"), 60 + int(rng.expovariate(1 / 180))
        local, back = self.ctx.local, t + gap
        self.events.append(
            (next_id("session_events"), session_id, uid, kinds[0], self.ts(t), None, *NOT_SENT, *local(t, tz))
        )
        self.events.append(
            (
                next_id("session_events"),
                session_id,
                uid,
                kinds[1],
                self.ts(back),
                None,
                *NOT_SENT,
                *local(back, tz),
            )
        )
        return back

    def _spans(self, uid: int, tz: str, session_id: int, spans: list[tuple[int, int, int]]) -> None:
        last = len(spans) - 1
        for number, (start, end, seconds) in enumerate(spans):
            row_id = self.writer.next_id("attention_spans")
            interrupted = 0 if number == last else 1
            self.spans.append(
                (
                    row_id,
                    session_id,
                    uid,
                    self.ts(start),
                    self.ts(end),
                    seconds,
                    interrupted,
                    *NOT_SENT,
                    *self.ctx.local(start, tz),
                )
            )

    def _focus(self, uid: int, session_id: int, spans: list, focused: int, elapsed: int, end: int) -> None:
        distractions = len(spans) - 1
        ratio = focused / elapsed if elapsed else 1.0
        score = round(max(0.0, min(100.0, 100 * ratio - 2.5 * distractions)), 1)
        longest = max(seconds for _, _, seconds in spans)
        row_id = self.writer.next_id("focus_metrics")
        avg = round(focused / len(spans), 1)
        self.focus.append(
            (row_id, session_id, uid, score, avg, longest, distractions, self.ts(end), *NOT_SENT)
        )

    def _p_correct(self, learner: Learner, skill_id: int) -> float:
        ability = learner.abilities.get(skill_id, learner.aptitude)
        gap = ability - self.skill_level[skill_id]
        return 0.2 + 0.75 / (1 + math.exp(-6 * gap))

    def _practise(self, learner: Learner, skill_id: int, rate: float) -> None:
        ability = learner.abilities.get(skill_id, learner.aptitude)
        learner.abilities[skill_id] = ability + rate * (1 - ability)

    def _quiz(self, learner: Learner, plan: Planned, session_id: int, answers: list[bool], end: int) -> None:
        """A quiz attempt (and its grade, when submitted); practice raises the learner's ability."""
        quiz_id = self.writer.next_id("quiz_attempts")
        skill_id, uid = plan.module.skill_id, learner.info.id
        correct, total = sum(answers), len(answers)
        percent = round(100.0 * correct / total, 1)
        submitted = None if plan.abandoned else self.ts(end - 2)
        counted_at = plan.start + 3 if plan.abandoned else end - 2  # a quiz's day: when submitted
        level = LEVEL[self.skill_level[skill_id]]
        self.quizzes.append(
            (
                quiz_id,
                uid,
                skill_id,
                plan.module.id,
                session_id,
                self.ts(plan.start + 3),
                submitted,
                percent,
                100.0,
                correct,
                total,
                end - plan.start - 5,
                level,
                *NOT_SENT,
                *self.ctx.local(counted_at, learner.info.timezone),
            )
        )
        self._practise(learner, skill_id, 0.1 * (0.5 + correct / total))
        if submitted is None:
            return
        passed = percent >= PASS_PERCENT
        feedback = (
            "Well done!" if percent >= 85 else ("Good effort." if passed else "Review this skill and retry.")
        )
        result_id = self.writer.next_id("assessment_results")
        name = f"{self.skill_name[skill_id]} {plan.content}"
        self.results.append((result_id, uid, quiz_id, name, percent, passed, feedback, submitted, None))
