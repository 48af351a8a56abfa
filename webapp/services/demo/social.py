"""Connections between learners, what they shared, and operators' manual points adjustments."""

from collections import defaultdict

from webapp.services.demo.context import Context, LearnerInfo
from webapp.services.demo.writer import DAY

CONNECTION_COLUMNS = ("id", "follower_id", "followee_id", "kind", "status", "created_at", "accepted_at")
ACTIVITY_COLUMNS = ("id", "actor_id", "verb", "object_type", "object_id", "summary", "created_at")
FEED_COLUMNS = ("id", "recipient_id", "activity_id", "is_read", "created_at", "read_at")
LEDGER_COLUMNS = ("id", "user_id", "amount", "reason", "source_type", "source_id", "idempotency_key", "note")
LEDGER_COLUMNS += ("created_by_id", "created_at", "local_day", "local_hour")


def joined(ctx: Context, learner: LearnerInfo) -> int:
    """A moment on the learner's first day that is safely after they joined."""
    return ctx.t0 + learner.join_day * DAY + 22 * 3600 - learner.offset


def write_connections(ctx: Context) -> dict[int, list[tuple[int, int]]]:
    """Learners follow classmates, some as friends; return followers (id, since) per learner."""
    rows = ctx.writer.table("user_connections", CONNECTION_COLUMNS)
    followers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    classes: dict[int, list[LearnerInfo]] = defaultdict(list)
    for learner in ctx.learners:
        classes[learner.group.id].append(learner)
    seen: set[tuple[int, int]] = set()
    for learner in ctx.learners:
        rng = ctx.rng("connections", learner.id)
        mates = [m for m in classes[learner.group.id] if m.id != learner.id]
        for mate in rng.sample(mates, min(len(mates), rng.randint(1, 6))):
            friend = rng.random() < 0.3
            since = max(joined(ctx, learner), joined(ctx, mate)) + rng.randrange(2 * DAY)
            if since >= ctx.t0 + ctx.size.days * DAY:
                continue
            pairs = [(learner.id, mate.id)] + ([(mate.id, learner.id)] if friend else [])
            pending = friend and rng.random() < 0.1
            for pair in (p for p in pairs if p not in seen):
                seen.add(pair)
                accepted = None if pending else ctx.ts(since + rng.randrange(60, 6 * 3600))
                status = "pending" if pending else "accepted"
                kind = "friend" if friend else "follow"
                rows.append(
                    (ctx.writer.next_id("user_connections"), *pair, kind, status, ctx.ts(since), accepted)
                )
                if not pending:
                    followers[pair[1]].append((pair[0], since))
    return followers


def share(ctx: Context, actor: int, verb: str, obj: tuple[str, str], summary: str, at: int) -> None:
    """Record an activity of a learner (delivered to feeds later)."""
    rows = ctx.writer.table("social_activities", ACTIVITY_COLUMNS)
    rows.append((ctx.writer.next_id("social_activities"), actor, verb, obj[0], obj[1], summary, at))


def write_joins(ctx: Context) -> None:
    """Each learner's joining of their study group is shared."""
    for learner in ctx.learners:
        at = joined(ctx, learner) - 20 * 3600
        share(
            ctx,
            learner.id,
            "joined",
            ("study_group", str(learner.group.id)),
            f"{learner.name} joined {learner.group.name}",
            at,
        )


def write_feeds(ctx: Context, followers: dict[int, list[tuple[int, int]]]) -> None:
    """Deliver every shared activity to the feeds of those who followed the actor by then."""
    activities = ctx.writer.buffers.get("social_activities", [])
    feed = ctx.writer.table("activity_feeds", FEED_COLUMNS)
    active = {learner.id: set(learner.active_days) for learner in ctx.learners}
    for activity_id, actor, *_, at in activities:
        rng = ctx.rng("feed", activity_id)
        for follower, since in followers.get(actor, ()):
            if since > at:
                continue
            day = (at - ctx.t0) // DAY
            read = any(d in active[follower] for d in (day, day + 1))
            read_at = ctx.ts(at + rng.randrange(600, DAY)) if read else None
            feed.append(
                (ctx.writer.next_id("activity_feeds"), follower, activity_id, read, ctx.ts(at), read_at)
            )
    activities[:] = [(*row[:-1], ctx.ts(row[-1])) for row in activities]


def write_adjustments(ctx: Context) -> None:
    """A few manual bonuses granted by the operator, with a reason, through the ledger."""
    rows = ctx.writer.table("points_transactions", LEDGER_COLUMNS)
    for learner in ctx.learners:
        rng = ctx.rng("adjustment", learner.id)
        if not learner.active_days or rng.random() >= 0.03:
            continue
        day = rng.choice(learner.active_days)
        at = ctx.t0 + day * DAY + 15 * 3600
        key = f"demo:adjustment:{learner.id}"
        note = rng.choice(("Helped classmates in the study group", "Won the class quiz competition"))
        rows.append(
            (ctx.writer.next_id("points_transactions"), learner.id, 50, "adjustment", "manual", None, key)
        )
        rows[-1] += (note, ctx.staff["operator"], ctx.ts(at), *ctx.local(at, learner.timezone))
