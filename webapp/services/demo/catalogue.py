"""The catalogue an operator would have set up: skills, paths, badges, milestones, templates."""

from webapp.services.demo import catalogue_data as data
from webapp.services.demo.context import Context, ModuleInfo, SkillInfo

SKILL_COLUMNS = ("id", "slug", "name", "subject", "description", "difficulty", "parent_id")
STAMPS = ("created_at", "updated_at", "is_active")


def _slug(*parts: str) -> str:
    text = "-".join(parts).lower()
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")[:64]


def write_skills(ctx: Context) -> None:
    """Write the skill tree: subject, topic, leaf skill."""
    rows = ctx.writer.table("skills", SKILL_COLUMNS + STAMPS)
    stamp = ctx.ts(ctx.catalogue_at)
    for subject, topics in data.SKILL_TREE.items():
        root = ctx.writer.next_id("skills")
        rows.append((root, _slug(subject), subject, subject, f"All of {subject}", "medium", None))
        for topic, leaves in topics.items():
            topic_id = ctx.writer.next_id("skills")
            rows.append((topic_id, _slug(subject, topic), topic, subject, None, "medium", root))
            for name, difficulty in leaves:
                leaf = ctx.writer.next_id("skills")
                rows.append((leaf, _slug(subject, name), name, subject, None, difficulty, topic_id))
                level = data.DIFFICULTY_LEVEL[difficulty]
                ctx.skills.append(SkillInfo(leaf, subject, name, level))
    rows[:] = [(*row, stamp, stamp, True) for row in rows]


def write_paths(ctx: Context) -> dict[tuple[str, int], list[ModuleInfo]]:
    """Write one learning path per subject and grade; return their modules."""
    paths = ctx.writer.table(
        "learning_paths", ("id", "slug", "name", "subject", "description", "grade_level", *STAMPS)
    )
    modules = ctx.writer.table(
        "path_modules",
        ("id", "path_id", "position", "title", "skill_id", "content_type", "estimated_minutes"),
    )
    stamp = ctx.ts(ctx.catalogue_at)
    result: dict[tuple[str, int], list[ModuleInfo]] = {}
    for subject in data.SKILL_TREE:
        leaves = [s for s in ctx.skills if s.subject == subject]
        for grade in data.GRADES:
            path_id = ctx.writer.next_id("learning_paths")
            name = f"Class {grade} {subject}"
            paths.append(
                (path_id, _slug(name), name, subject, f"The {name} syllabus", grade, stamp, stamp, True)
            )
            result[(subject, grade)] = [
                _module(ctx, modules, path_id, position, skill)
                for position, skill in enumerate(leaves, start=1)
            ]
    return result


def _module(ctx: Context, rows: list[tuple], path_id: int, position: int, skill: SkillInfo) -> ModuleInfo:
    kind = data.MODULE_TYPES[(position - 1 + path_id) % len(data.MODULE_TYPES)]
    module_id = ctx.writer.next_id("path_modules")
    minutes = data.MODULE_MINUTES[kind]
    rows.append(
        (module_id, path_id, position, f"{skill.name}: {kind.replace('_', ' ')}", skill.id, kind, minutes)
    )
    return ModuleInfo(module_id, path_id, skill.id, kind, minutes)


def write_badges(ctx: Context) -> None:
    """Write the badges and the streak milestones that award some of them."""
    badges = ctx.writer.table(
        "badges",
        (
            "id",
            "slug",
            "name",
            "description",
            "icon",
            "tier",
            "criteria_metric",
            "criteria_threshold",
            "points_reward",
            *STAMPS,
        ),
    )
    stamp = ctx.ts(ctx.catalogue_at)
    ids = {}
    for slug, name, tier, metric, threshold, points in data.BADGES:
        ids[slug] = ctx.writer.next_id("badges")
        about = f"Reach {threshold} {metric.replace('_', ' ')}"
        badges.append((ids[slug], slug, name, about, slug.split("-")[0], tier, metric, threshold, points))
        badges[-1] += (stamp, stamp, True)
    ctx.badge_ids = list(ids.values())
    milestones = ctx.writer.table("streak_milestones", ("id", "days", "badge_id", "points", "is_active"))
    for days, slug, points in data.MILESTONES:
        milestones.append((ctx.writer.next_id("streak_milestones"), days, ids[slug], points, True))


def write_templates(ctx: Context) -> None:
    """Write the notification templates (English on every channel, some in Hindi)."""
    rows = ctx.writer.table(
        "notification_templates",
        ("id", "key", "channel", "locale", "category", "subject", "body", "updated_by_id", *STAMPS),
    )
    stamp = ctx.ts(ctx.catalogue_at)
    operator = ctx.staff["operator"]
    for key, category, subject, body in data.TEMPLATES:
        channels = data.TEMPLATE_CHANNELS + (("email",) if key in data.EMAIL_TEMPLATES else ())
        variants = [(c, "en", subject, body) for c in channels]
        if key in data.HINDI:
            variants.append(("in_app", "hi", *data.HINDI[key]))
        for channel, locale, subj, text in variants:
            template_id = ctx.writer.next_id("notification_templates")
            ctx.templates[(key, channel, locale)] = (template_id, subj, text)
            rows.append(
                (template_id, key, channel, locale, category, subj, text, operator, stamp, stamp, True)
            )


def write_catalogue(ctx: Context) -> dict[tuple[str, int], list[ModuleInfo]]:
    """Write the whole catalogue; return each (subject, grade) path's modules."""
    write_skills(ctx)
    modules = write_paths(ctx)
    write_badges(ctx)
    write_templates(ctx)
    return modules
