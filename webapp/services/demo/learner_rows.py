"""A learner's identity rows: account, profile, preferences, memberships, freezes."""

from datetime import date

from webapp.services.demo import catalogue_data as data
from webapp.services.demo.context import Context
from webapp.services.demo.people import MEMBER_COLUMNS, USER_COLUMNS, email_of, learner_external_id
from webapp.services.demo.sessions import Learner
from webapp.services.demo.writer import DAY

CONTENT_TYPES = ("video", "reading", "quiz", "practice", "game", "live_class")
GOALS = (
    "Score above 90% in the board exams",
    "Get better at maths",
    "Read one chapter every day",
    "Prepare for the science olympiad",
    None,
)
SLOTS = ("morning", "afternoon", "evening", "night")
STUDY_TIME_CUM = (20, 40, 90, 100)
NOTIFY = (("push", "reminder", True), ("push", "social", True), ("email", "reminder", False))


def joined_at(ctx: Context, learner: Learner) -> int:
    """When the learner joined: before the period for the first cohort, else on their join day."""
    rng = learner.rng
    if learner.info.join_day == 0:
        return ctx.t0 - rng.randrange(1, 60) * DAY + rng.randrange(DAY)
    return ctx.t0 + learner.info.join_day * DAY + rng.randrange(6 * 3600, 20 * 3600) - learner.info.offset


def write_identity(ctx: Context, learner: Learner, slot: str, affinities: list[float]) -> None:
    """Write the learner's account and everything describing them."""
    info, rng, w, ts = learner.info, learner.rng, ctx.writer, ctx.ts
    created = ts(learner.joined)
    locale = "hi" if info.timezone == "Asia/Kolkata" and rng.random() < 0.2 else "en"
    last_seen = ts(learner.last_seen) if learner.last_seen else None
    w.table("users", USER_COLUMNS).append(
        (
            info.id,
            email_of(info),
            info.name,
            "learner",
            info.timezone,
            locale,
            None,
            0,
            last_seen,
            created,
            created,
            True,
            learner_external_id(info.id),
            None,
        )
    )
    _profile(ctx, learner, created)
    goal = rng.choice((10, 15, 20, 30, 45))
    difficulty = rng.choice(("easy", "medium", "medium", "hard"))
    w.table(
        "learning_preferences",
        ("user_id", "preferred_study_time", "daily_goal_minutes", "difficulty", "updated_at"),
    ).append((info.id, slot, goal, difficulty, created))
    content = w.table("content_preferences", ("id", "user_id", "content_type", "affinity", "updated_at"))
    for kind, affinity in zip(CONTENT_TYPES, affinities, strict=True):
        content.append((w.next_id("content_preferences"), info.id, kind, round(affinity, 2), created))
    _notification_preferences(ctx, learner, created)
    _memberships(ctx, learner, created)


def _profile(ctx: Context, learner: Learner, created: str) -> None:
    rng, info = learner.rng, learner.info
    grade = info.group.grade
    age = grade + 5
    born = date(ctx.end.year - age - (1 if rng.random() < 0.5 else 0), rng.randint(1, 12), rng.randint(1, 28))
    band = "10_12" if age <= 12 else ("13_15" if age <= 15 else "16_18")
    ctx.writer.table(
        "user_profiles",
        (
            "user_id",
            "grade_level",
            "school",
            "bio",
            "avatar_url",
            "date_of_birth",
            "age_band",
            "goals",
            "created_at",
            "updated_at",
        ),
    ).append(
        (
            info.id,
            grade,
            rng.choice(data.SCHOOLS),
            None,
            None,
            born.isoformat(),
            band,
            rng.choice(GOALS),
            created,
            created,
        )
    )


def _notification_preferences(ctx: Context, learner: Learner, created: str) -> None:
    rows = ctx.writer.table(
        "notification_preferences",
        (
            "id",
            "user_id",
            "channel",
            "category",
            "is_enabled",
            "quiet_hours_start",
            "quiet_hours_end",
            "updated_at",
        ),
    )
    for channel, category, enabled in NOTIFY:
        on = enabled if learner.rng.random() < 0.85 else not enabled
        quiet = (22, 7) if channel == "push" else (None, None)
        rows.append(
            (ctx.writer.next_id("notification_preferences"), learner.info.id, channel, category, on, *quiet)
        )
        rows[-1] += (created,)


def _memberships(ctx: Context, learner: Learner, created: str) -> None:
    rows = ctx.writer.table("group_members", MEMBER_COLUMNS)
    info, rng = learner.info, learner.rng
    rows.append((ctx.writer.next_id("group_members"), info.group.id, info.id, "member", created, None))
    others = [g for g in ctx.groups if g.grade == info.group.grade and g.id != info.group.id]
    if others and rng.random() < 0.15:
        second = rng.choice(others)
        rows.append((ctx.writer.next_id("group_members"), second.id, info.id, "member", created, None))


def write_freeze(ctx: Context, learner: Learner) -> None:
    """Some learners were granted a streak freeze by an operator when they joined."""
    if learner.rng.random() >= 0.15:
        return
    rows = ctx.writer.table("streak_freezes", ("id", "user_id", "origin", "status", "acquired_at", "used_on"))
    acquired = ctx.ts(max(ctx.t0, learner.joined) + DAY)
    rows.append(
        (ctx.writer.next_id("streak_freezes"), learner.info.id, "granted", "equipped", acquired, None)
    )
