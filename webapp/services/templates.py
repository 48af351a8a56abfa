"""Notification templates: checked and rendered only in Jinja's immutable sandbox.

Operators write templates; a template may use only the variables in
ALLOWED_VARIABLES (plain strings and numbers), no attribute or item access to
private names, and a few harmless filters. Saving refuses anything else with a
line number, and rendering runs in ImmutableSandboxedEnvironment with no
globals, so `{{ ''.__class__.__mro__ }}` or `{{ cycler.__init__.__globals__ }}`
never reach Python objects.
"""

import operator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Badge, GroupMember, StudyGroup, User, UserBadge, UserPoints, UserStreak

# name -> what it holds (shown to operators beside the editor).
ALLOWED_VARIABLES: dict[str, str] = {
    "name": "learner's display name",
    "learner_name": "learner's display name",
    "first_name": "first word of the learner's name",
    "streak_days": "current streak length in days",
    "days": "current streak length in days",
    "longest_streak": "longest streak in days",
    "points": "points balance",
    "badge": "name of the learner's latest badge",
    "badge_name": "name of the learner's latest badge",
    "group": "name of the learner's study group",
    "group_name": "name of the learner's study group",
    "app_url": "link to the learning app",
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
MAX_TEMPLATE_LENGTH = 10_000
MAX_OUTPUT_LENGTH = 20_000
DEFAULT_APP_URL = "https://learn.example.org"


class TemplateProblem(ValueError):
    """A template was refused; `errors` holds one readable line per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with no globals, and bounded string/number growth."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**":
            raise SecurityError("powers are not allowed in templates")
        for seq, times in ((left, right), (right, left)):
            too_long = isinstance(seq, str | list | tuple) and isinstance(times, int)
            if too_long and len(seq) * max(times, 0) > MAX_OUTPUT_LENGTH:
                raise SecurityError("the result is too long")
        if isinstance(left, int) and isinstance(right, int) and abs(left * 1.0 * right) > 1e15:
            raise SecurityError("the number is too large")
        return operator.mul(left, right)


def _environment(autoescape: bool = False) -> _Sandbox:
    env = _Sandbox(undefined=StrictUndefined, autoescape=autoescape)
    env.globals.clear()
    env.filters = {k: v for k, v in env.filters.items() if k in ALLOWED_FILTERS}
    env.tests = {
        k: v for k, v in env.tests.items() if k in {"defined", "undefined", "none", "number", "string"}
    }
    return env


_ENV = _environment()


def check_template(source: str | None, label: str = "body") -> list[str]:
    """Return the problems of a template (empty when it may be saved)."""
    if not source:
        return []
    if len(source) > MAX_TEMPLATE_LENGTH:
        return [f"{label}: longer than {MAX_TEMPLATE_LENGTH} characters"]
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        return [f"{label}, line {exc.lineno}: syntax error: {exc.message}"]
    problems: list[str] = []
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in tree.find_all(
        (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test, nodes.Pow)
    ):
        problem = _node_problem(node, assigned)
        if problem:
            problems.append(f"{label}, line {node.lineno}: {problem}")
    refused = (nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends, nodes.Macro, nodes.For)
    for node in tree.find_all(refused):
        problems.append(f"{label}, line {node.lineno}: loops, imports, includes and macros are not allowed")
    return list(dict.fromkeys(problems))


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
    values = {k: context.get(k, SAMPLE_CONTEXT[k]) for k in ALLOWED_VARIABLES}
    env = _environment(autoescape) if autoescape else _ENV
    try:
        output = env.from_string(source).render(values)
    except (TemplateError, ArithmeticError, TypeError, ValueError, OverflowError) as exc:
        raise TemplateProblem([f"rendering failed: {exc.__class__.__name__}: {exc}"]) from exc
    return output[:MAX_OUTPUT_LENGTH]


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


@dataclass(frozen=True)
class Preview:
    """A rendered subject and body, or the problems that stopped them."""

    subject: str
    body: str
    errors: list[str]


def preview(subject: str | None, body: str | None, context: dict[str, Any]) -> Preview:
    """Render subject and body for a preview, collecting problems instead of raising."""
    errors = check_template(subject, "subject") + check_template(body, "body")
    if errors:
        return Preview("", "", errors)
    try:
        return Preview(render(subject, context), render(body, context), [])
    except TemplateProblem as exc:
        return Preview("", "", exc.errors)
