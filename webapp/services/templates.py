"""Notification templates: checked and rendered only in a bounded Jinja sandbox.

Operators write templates; a template may use only the variables in
ALLOWED_VARIABLES (plain strings and numbers), no attribute or item access,
no loops, and a few harmless filters. Saving refuses anything else with a line
number, and rendering runs in `template_sandbox.BoundedSandbox` (Jinja's
immutable sandbox with no globals), so `{{ ''.__class__.__mro__ }}` never
reaches Python objects and `{{ '%1500000000s' % name }}` never reaches memory.

Every render path (`render`, `preview`, and the trial render of `check_template`)
goes through the same sandbox and caps: values at MAX_OUTPUT_LENGTH characters,
the whole output too (counted while it is produced). `check_template` renders
each template once with the longest names and largest numbers a learner can
have, so what is saved always renders within the caps. `template_warnings`
points out what renders but is probably a mistake (`Hi {name}`).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.lexer import TOKEN_DATA
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.i18n import N_
from webapp.models import Badge, GroupMember, StudyGroup, User, UserBadge, UserPoints, UserStreak
from webapp.services.template_sandbox import MAX_VALUE_LENGTH, BoundedSandbox, source_problems

# name -> what it holds (shown to operators beside the editor, translated there).
ALLOWED_VARIABLES: dict[str, str] = {
    "name": N_("learner's display name"),
    "learner_name": N_("learner's display name"),
    "first_name": N_("first word of the learner's name"),
    "streak_days": N_("current streak length in days"),
    "days": N_("current streak length in days"),
    "longest_streak": N_("longest streak in days"),
    "points": N_("points balance"),
    "badge": N_("name of the learner's latest badge"),
    "badge_name": N_("name of the learner's latest badge"),
    "group": N_("name of the learner's study group"),
    "group_name": N_("name of the learner's study group"),
    "app_url": N_("link to the learning app"),
}
ALLOWED_FILTERS = frozenset(
    {"upper", "lower", "title", "capitalize", "trim", "default", "truncate", "int", "round", "length"}
)
SAMPLE_CONTEXT: dict[str, Any] = {
    "name": "Asha Verma",
    "learner_name": "Asha Verma",
    "first_name": "Asha",
    "streak_days": 12,
    "days": 12,
    "longest_streak": 30,
    "points": 1450,
    "badge": "Week Warrior",
    "badge_name": "Week Warrior",
    "group": "Grade 7 Science",
    "group_name": "Grade 7 Science",
    "app_url": "https://learn.example.org",
}
# The longest names and largest numbers a learner's context can hold (column lengths, big counts).
LONGEST_CONTEXT: dict[str, Any] = {
    **dict.fromkeys(("name", "learner_name", "first_name", "badge", "badge_name"), "W" * 120),
    **dict.fromkeys(("group", "group_name"), "W" * 200),
    **dict.fromkeys(("streak_days", "days", "longest_streak"), 99999),
    "points": 999_999_999,
    "app_url": "https://" + "w" * 190 + ".org",
}
MAX_TEMPLATE_LENGTH = 10_000
MAX_OUTPUT_LENGTH = MAX_VALUE_LENGTH
DEFAULT_APP_URL = "https://learn.example.org"
REFUSED_WHAT = "loops, imports, includes, macros and blocks that capture text"
REFUSED_NODES = (
    nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends, nodes.Macro, nodes.CallBlock,
    nodes.For, nodes.FilterBlock, nodes.AssignBlock,
)  # fmt: skip


class TemplateProblem(ValueError):
    """A template was refused; `errors` holds one readable line per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _environment(autoescape: bool = False) -> BoundedSandbox:
    env = BoundedSandbox(autoescape=autoescape)
    env.filters = {k: v for k, v in env.filters.items() if k in ALLOWED_FILTERS}
    env.tests = {
        k: v for k, v in env.tests.items() if k in {"defined", "undefined", "none", "number", "string"}
    }
    return env


_ENV = _environment()
_ESCAPING_ENV = _environment(autoescape=True)


def check_template(source: str | None, label: str = "body") -> list[str]:
    """Return the problems of a template (empty when it may be saved): syntax, rules, and the caps."""
    if not source:
        return []
    if len(source) > MAX_TEMPLATE_LENGTH:
        return [f"{label}: longer than {MAX_TEMPLATE_LENGTH} characters"]
    try:
        scanned = source_problems(_ENV, source)
        tree = None if scanned else _ENV.parse(source)
    except TemplateSyntaxError as exc:
        return [f"{label}, line {exc.lineno}: syntax error: {exc.message}"]
    if tree is None:
        return [f"{label}, line {line}: {problem}" for line, problem in scanned]
    problems = _tree_problems(tree, label)
    if not problems:
        problems = [f"{label}: {p}" for p in _trial_problems(source)]
    return list(dict.fromkeys(problems))


def _tree_problems(tree: nodes.Template, label: str) -> list[str]:
    problems: list[str] = []
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in tree.find_all(
        (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test, nodes.Pow)
    ):
        problem = _node_problem(node, assigned)
        if problem:
            problems.append(f"{label}, line {node.lineno}: {problem}")
    for node in tree.find_all(REFUSED_NODES):
        problems.append(f"{label}, line {node.lineno}: {REFUSED_WHAT} are not allowed")
    return problems


def _trial_problems(source: str) -> list[str]:
    """Render once with sample data and once with the longest values: what fails would fail for real."""
    problems = []
    for context in (SAMPLE_CONTEXT, LONGEST_CONTEXT):
        try:
            _render_checked(source, context, _ENV)
        except TemplateProblem as exc:
            problems += exc.errors
    return problems


def _node_problem(node: nodes.Node, assigned: set[str]) -> str | None:
    if isinstance(node, nodes.Name):
        if node.ctx == "load" and node.name not in ALLOWED_VARIABLES and node.name not in assigned:
            return f"unknown variable '{node.name}' (allowed: {', '.join(sorted(ALLOWED_VARIABLES))})"
    elif isinstance(node, nodes.Getattr):
        return f"attribute access ('.{node.attr}') is not allowed"
    elif isinstance(node, nodes.Getitem):
        return "item access ('[...]') is not allowed"
    elif isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        return f"unknown filter '{node.name}'"
    elif isinstance(node, nodes.Test) and node.name not in _ENV.tests:
        return f"unknown test '{node.name}'"
    elif isinstance(node, nodes.Pow):
        return "powers ('**') are not allowed"
    return None


def render(source: str | None, context: dict[str, Any], *, autoescape: bool = False) -> str:
    """Render a checked template in the sandbox; raise TemplateProblem if refused or failing."""
    if not source:
        return ""
    problems = check_template(source)
    if problems:
        raise TemplateProblem(problems)
    return _render_checked(source, context, _ESCAPING_ENV if autoescape else _ENV)


def _render_checked(source: str, context: dict[str, Any], env: BoundedSandbox) -> str:
    """Render within the caps: every value, and the output as it is produced."""
    values = {k: context.get(k, SAMPLE_CONTEXT[k]) for k in ALLOWED_VARIABLES}
    parts: list[str] = []
    size = 0
    try:
        for part in _compiled(source, env.autoescape).generate(values):
            size += len(part)
            if size > MAX_OUTPUT_LENGTH:
                break
            parts.append(part)
    except SecurityError as exc:
        raise TemplateProblem([f"refused while rendering: {exc}"]) from exc
    except (TemplateError, ArithmeticError, TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise TemplateProblem([f"rendering failed: {exc.__class__.__name__}: {exc}"]) from exc
    if size > MAX_OUTPUT_LENGTH:
        raise TemplateProblem([f"the message would be longer than {MAX_OUTPUT_LENGTH:,} characters"])
    return "".join(parts)


@lru_cache(maxsize=256)
def _compiled(source: str, autoescape: bool) -> Template:
    """The compiled template (checking and previewing render the same text several times)."""
    return (_ESCAPING_ENV if autoescape else _ENV).from_string(source)


def learner_context(session: Session, learner: User, app_url: str = DEFAULT_APP_URL) -> dict[str, Any]:
    """Return the template variables for one learner, from the database."""
    streak = session.get(UserStreak, learner.id)
    balance = session.get(UserPoints, learner.id)
    badge = session.scalar(
        select(Badge.name)
        .join(UserBadge, UserBadge.badge_id == Badge.id)
        .where(UserBadge.user_id == learner.id)
        .order_by(UserBadge.awarded_at.desc())
        .limit(1)
    )
    group = session.scalar(
        select(StudyGroup.name)
        .join(GroupMember, GroupMember.group_id == StudyGroup.id)
        .where(GroupMember.user_id == learner.id)
        .order_by(GroupMember.joined_at.desc())
        .limit(1)
    )
    name = learner.display_name
    days = streak.current_length if streak else 0
    return {
        "name": name,
        "learner_name": name,
        "first_name": name.split()[0] if name.split() else name,
        "streak_days": days,
        "days": days,
        "longest_streak": streak.longest_length if streak else 0,
        "points": balance.balance if balance else 0,
        "badge": badge or "",
        "badge_name": badge or "",
        "group": group or "",
        "group_name": group or "",
        "app_url": app_url,
    }


SINGLE_BRACES = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}")


def template_warnings(source: str | None, label: str = "body") -> list[str]:
    """Return what renders but is probably a mistake: `{name}` in single braces is sent as written."""
    if not source:
        return []
    warnings = []
    try:
        for lineno, token, value in _ENV.lexer.tokeniter(source, None):
            if token != TOKEN_DATA:
                continue
            for match in SINGLE_BRACES.finditer(value):
                line = lineno + value.count("\n", 0, match.start())
                name = match.group(1)
                hint = f"{{{{ {name} }}}}" if name in ALLOWED_VARIABLES else "{{ name }}"
                warnings.append(
                    f"{label}, line {line}: “{match.group(0)}” is sent as written; "
                    f"placeholders take double braces: {hint}"
                )
    except TemplateSyntaxError:
        return []  # check_template reports it
    return warnings


@dataclass(frozen=True)
class Preview:
    """A rendered subject and body, or the problems that stopped them; warnings either way."""

    subject: str
    body: str
    errors: list[str]
    warnings: list[str] = field(default_factory=list)


def preview(subject: str | None, body: str | None, context: dict[str, Any]) -> Preview:
    """Render subject and body for a preview, collecting problems instead of raising."""
    warnings = template_warnings(subject, "subject") + template_warnings(body, "body")
    errors = check_template(subject, "subject") + check_template(body, "body")
    if errors:
        return Preview("", "", errors, warnings)
    try:
        return Preview(render(subject, context), render(body, context), [], warnings)
    except TemplateProblem as exc:
        return Preview("", "", exc.errors, warnings)
