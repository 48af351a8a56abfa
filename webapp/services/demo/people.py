"""Staff accounts, study groups with their leaderboards, and each learner's identity rows."""

import random
from itertools import accumulate

from werkzeug.security import generate_password_hash

from webapp.services.demo import catalogue_data as data
from webapp.services.demo.context import Context, GroupInfo, LearnerInfo, ModuleInfo
from webapp.services.demo.writer import DAY

USER_COLUMNS = ("id", "email", "display_name", "role", "timezone", "locale", "password_hash")
USER_COLUMNS += ("session_version", "last_seen_at", "created_at", "updated_at", "is_active", "external_id")
USER_COLUMNS += ("locale_chosen_at",)  # no demo account has chosen a language: the browser's applies
MEMBER_COLUMNS = ("id", "group_id", "user_id", "role", "joined_at", "left_on")
EMAIL_DOMAIN = "demo.shikshadisha.in"

# key, email, name, role, password. Deterministic on purpose: this is demo data.
STAFF = (
    ("admin", f"admin@{EMAIL_DOMAIN}", "Demo Admin", "admin", "demo-admin-1234"),
    ("operator", f"operator@{EMAIL_DOMAIN}", "Demo Operator", "operator", "demo-operator-1234"),
    ("teacher1", f"asha.iyer@{EMAIL_DOMAIN}", "Asha Iyer", "teacher", "demo-teacher-1234"),
    ("teacher2", f"ravi.kumar@{EMAIL_DOMAIN}", "Ravi Kumar", "teacher", "demo-teacher-1234"),
)
GROUPS_PER_DEMO_TEACHER = 4
GROUPS_PER_OTHER_TEACHER = 5
TZ_NAMES = [zone for zone, _ in data.TIMEZONES]
TZ_CUM = list(accumulate(weight for _, weight in data.TIMEZONES))


def write_staff(ctx: Context) -> None:
    """Write the demo admin, operator and two teachers, with hashed passwords."""
    rows = ctx.writer.table("users", USER_COLUMNS)
    stamp = ctx.ts(ctx.catalogue_at - DAY)
    for key, email, name, role, password in STAFF:
        user_id = ctx.writer.next_id("users")
        ctx.staff[key] = user_id
        pw_hash = generate_password_hash(password)
        rows.append(
            (
                user_id,
                email,
                name,
                role,
                "Asia/Kolkata",
                "en",
                pw_hash,
                0,
                None,
                stamp,
                stamp,
                True,
                None,
                None,
            )
        )


def _extra_teacher(ctx: Context, number: int) -> int:
    """A teacher of the bigger demos who has no login here."""
    user_id = ctx.writer.next_id("users")
    rng = ctx.rng("teacher", number)
    name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
    email = f"teacher{number}@{EMAIL_DOMAIN}"
    stamp = ctx.ts(ctx.catalogue_at - DAY)
    row = (
        user_id,
        email,
        name,
        "teacher",
        "Asia/Kolkata",
        "en",
        None,
        0,
        None,
        stamp,
        stamp,
        True,
        None,
        None,
    )
    ctx.writer.buffers["users"].append(row)
    return user_id


def _teacher_for(ctx: Context, index: int, extra: dict[int, int]) -> int:
    if index < 2 * GROUPS_PER_DEMO_TEACHER:
        return ctx.staff["teacher1" if index % 2 == 0 else "teacher2"]
    number = 3 + (index - 2 * GROUPS_PER_DEMO_TEACHER) // GROUPS_PER_OTHER_TEACHER
    if number not in extra:
        extra[number] = _extra_teacher(ctx, number)
    return extra[number]


def write_groups(ctx: Context, modules: dict[tuple[str, int], list[ModuleInfo]]) -> None:
    """Write the study groups, their teachers' memberships and their leaderboards."""
    groups = ctx.writer.table(
        "study_groups",
        ("id", "name", "description", "owner_id", "created_at", "updated_at", "is_active", "external_id"),
    )
    members = ctx.writer.table("group_members", MEMBER_COLUMNS)
    stamp = ctx.ts(ctx.catalogue_at)
    count = -(-ctx.size.learners // ctx.size.group_size)
    subjects = list(data.SKILL_TREE)
    extra: dict[int, int] = {}
    for index in range(count):
        subject = subjects[index % len(subjects)]
        grade = data.GRADES[(index // len(subjects)) % len(data.GRADES)]
        section = index // (len(subjects) * len(data.GRADES))
        letter = chr(65 + section % 26) + (str(section // 26 + 1) if section >= 26 else "")
        name = f"Class {grade}{letter} {subject}"
        teacher = _teacher_for(ctx, index, extra)
        group = GroupInfo(
            ctx.writer.next_id("study_groups"), name, subject, grade, teacher, modules[(subject, grade)]
        )
        ctx.groups.append(group)
        groups.append((group.id, name, f"{subject} for class {grade}, section {letter}", teacher))
        members.append((ctx.writer.next_id("group_members"), group.id, teacher, "teacher", stamp, None))
    groups[:] = [(*row, stamp, stamp, True, group_external_id(row[0])) for row in groups]
    _write_leaderboards(ctx)


def _write_leaderboards(ctx: Context) -> None:
    rows = ctx.writer.table(
        "leaderboards",
        (
            "id",
            "name",
            "period",
            "scope",
            "study_group_id",
            "metric",
            "created_at",
            "updated_at",
            "is_active",
        ),
    )
    stamp = ctx.ts(ctx.catalogue_at)
    periods = (("weekly", "This week"), ("monthly", "This month"), ("all_time", "All time"))
    for period, label in periods:
        rows.append(
            (ctx.writer.next_id("leaderboards"), f"Everyone: {label.lower()}", period, "global", None)
        )
    for group in ctx.groups:
        for period, label in periods:
            board = ctx.writer.next_id("leaderboards")
            rows.append((board, f"{group.name}: {label.lower()}", period, "study_group", group.id))
    rows[:] = [(*row, "points", stamp, stamp, True) for row in rows]
    other_metrics = (("learning_minutes", "weekly", "minutes this week"),
                     ("quizzes_passed", "monthly", "quizzes passed this month"))  # fmt: skip
    for metric, period, label in other_metrics:
        board = ctx.writer.next_id("leaderboards")
        rows.append((board, f"Everyone: {label}", period, "global", None, metric, stamp, stamp, True))


def new_learner(ctx: Context, index: int) -> tuple[LearnerInfo, random.Random]:
    """Draw a learner's identity, group, cohort and habits (nothing is written yet)."""
    rng = ctx.rng("learner", index)
    user_id = ctx.writer.next_id("users")
    name = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
    group = ctx.groups[index * len(ctx.groups) // ctx.size.learners]
    zone = rng.choices(TZ_NAMES, cum_weights=TZ_CUM)[0]
    persona = rng.choices(("regular", "occasional", "churning"), cum_weights=(45, 80, 100))[0]
    info = LearnerInfo(user_id, name, group, zone, 0, _join_day(ctx, rng), persona)
    return info, rng


def _join_day(ctx: Context, rng: random.Random) -> int:
    """Cohorts: most learners were there from the start, the rest join every other week."""
    if rng.random() < 0.55:
        return 0
    cohorts = list(range(7, ctx.size.days - 3, 14)) or [0]
    return rng.choice(cohorts) + rng.randrange(3)


def learner_external_id(user_id: int) -> str:
    """The platform's id of a demo learner (as the apps would send it)."""
    return f"demo-learner-{user_id}"


def group_external_id(group_id: int) -> str:
    """The platform's id of a demo study group."""
    return f"demo-group-{group_id}"


def email_of(info: LearnerInfo) -> str:
    """The learner's demo e-mail address."""
    local = "".join(c for c in info.name.lower().replace(" ", ".") if c.isalnum() or c == ".")
    return f"{local}.{info.id}@learners.{EMAIL_DOMAIN}"
