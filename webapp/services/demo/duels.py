"""Duels as the platform records them: who challenged whom, when, and the scores."""

import random

from webapp.services.demo.context import Context, LearnerInfo
from webapp.services.demo.notify import Notifier
from webapp.services.demo.social import share
from webapp.services.demo.writer import DAY

DUEL_COLUMNS = ("id", "challenger_id", "opponent_id", "skill_id", "status", "created_at", "expires_at")
DUEL_COLUMNS += ("started_at", "ended_at", "winner_id")
PARTICIPANT_COLUMNS = ("id", "duel_id", "user_id", "score", "outcome")


def write_duels(ctx: Context, notifier: Notifier) -> None:
    """Active learners challenge classmates now and then; most challenges are played."""
    classes: dict[int, list[LearnerInfo]] = {}
    for learner in ctx.learners:
        classes.setdefault(learner.group.id, []).append(learner)
    active = {learner.id: set(learner.active_days) for learner in ctx.learners}
    skill_names = {s.id: s.name for s in ctx.skills}
    for learner in ctx.learners:
        rng = ctx.rng("duels", learner.id)
        mates = [m for m in classes[learner.group.id] if m.id != learner.id and m.active_days]
        if not mates or len(learner.active_days) < 3 or not learner.skills:
            continue
        for day in learner.active_days:
            if rng.random() < 0.06:
                opponent = rng.choice(mates)
                duel = _Duel(ctx, rng, learner, opponent, day, rng.choice(learner.skills))
                duel.play(day in active[opponent.id] or day + 1 in active[opponent.id])
                duel.write(notifier, skill_names[duel.skill])


class _Duel:
    def __init__(self, ctx: Context, rng: random.Random, challenger, opponent, day: int, skill: int) -> None:
        self.ctx, self.rng, self.skill = ctx, rng, skill
        self.challenger, self.opponent = challenger, opponent
        self.created = ctx.t0 + day * DAY + rng.randrange(16 * 3600, 21 * 3600) - challenger.offset
        self.expires = self.created + DAY
        self.status, self.started, self.ended, self.scores = "pending", None, None, (0, 0)

    def play(self, opponent_around: bool) -> None:
        """Decide what became of the challenge by the end of the demo period."""
        rng, end_of_period = self.rng, self.ctx.t0 + self.ctx.size.days * DAY
        if self.expires > end_of_period:
            return
        if not opponent_around:
            self.status = "expired" if rng.random() < 0.8 else "declined"
            return
        self.status = "completed"
        self.started = self.created + rng.randrange(300, 20 * 3600)
        self.ended = self.started + rng.randrange(180, 600)
        self.scores = (rng.randint(3, 10), rng.randint(3, 10))

    def write(self, notifier: Notifier, skill_name: str) -> None:
        ctx, ts, a, b = self.ctx, self.ctx.ts, self.challenger, self.opponent
        duel_id = ctx.writer.next_id("duels")
        winner = None
        if self.status == "completed" and self.scores[0] != self.scores[1]:
            winner = a.id if self.scores[0] > self.scores[1] else b.id
        started = ts(self.started) if self.started else None
        ended = ts(self.ended) if self.ended else None
        ctx.writer.table("duels", DUEL_COLUMNS).append(
            (
                duel_id,
                a.id,
                b.id,
                self.skill,
                self.status,
                ts(self.created),
                ts(self.expires),
                started,
                ended,
                winner,
            )
        )
        rows = ctx.writer.table("duel_participants", PARTICIPANT_COLUMNS)
        for player, score in ((a, self.scores[0]), (b, self.scores[1])):
            outcome = self._outcome(player.id, winner)
            rows.append((ctx.writer.next_id("duel_participants"), duel_id, player.id, score, outcome))
        answered = self.started or (self.created + 3600 if self.status == "declined" else None)
        notifier.send(
            b, "duel_challenge", self.created, answered, challenger_name=a.name, skill_name=skill_name
        )
        if self.status == "completed":
            self._results(notifier, skill_name, winner)
            if winner:
                champion = a if winner == a.id else b
                summary = f"{champion.name} won a {skill_name} duel"
                share(ctx, winner, "won", ("duel", str(duel_id)), summary, self.ended)

    def _outcome(self, player: int, winner: int | None) -> str:
        if self.status != "completed":
            return "pending"
        if winner is None:
            return "draw"
        return "won" if winner == player else "lost"

    def _results(self, notifier: Notifier, skill_name: str, winner: int | None) -> None:
        for me, other, score in (
            (self.challenger, self.opponent, self.scores[0]),
            (self.opponent, self.challenger, self.scores[1]),
        ):
            outcome = self._outcome(me.id, winner)
            read = self.ended + self.rng.randrange(60, 3600) if self.rng.random() < 0.7 else None
            notifier.send(
                me,
                "duel_result",
                self.ended,
                read,
                opponent_name=other.name,
                skill_name=skill_name,
                outcome=outcome,
                score=score,
            )
