"""The Jinja sandbox that operator templates render in, with every way of growing a value bounded.

Jinja's immutable sandbox keeps templates away from Python objects, but not
from memory: `'%1500000000s' % name` or a string doubled sixteen times with
`~` asks for gigabytes. Here every operation that can make a longer string,
list or number checks the size of its result *before* building it:

- `*` and `+` on strings and lists, `~` (joins), and `%` formatting (its
  widths, precisions and arguments) refuse results over MAX_VALUE_LENGTH;
- numbers from `*` stay under 10^15; `**` and `str.format` are refused;
- the template's source is scanned before Jinja parses it: numbers of more
  than MAX_DIGITS digits and brackets or blocks nested deeper than
  MAX_NESTING are refused with the line, so the parser never recurses deeply.

A refusal raises `SecurityError`; `webapp.services.templates` turns it into a
readable problem. The output's total length is capped there, while rendering.
"""

import operator
import re
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import StrictUndefined
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.lexer import (
    TOKEN_BLOCK_BEGIN,
    TOKEN_INTEGER,
    TOKEN_NAME,
    TOKEN_OPERATOR,
    TOKEN_WHITESPACE,
)
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_VALUE_LENGTH = 20_000
MAX_NUMBER = 10**15
MAX_DIGITS = 15
MAX_NESTING = 20

_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_BLOCKS = frozenset({"if", "for", "block", "filter", "macro", "call", "with", "raw", "autoescape", "trans"})


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else len(str(value))


def bounded_format(template: str, values: Any) -> str:
    """`template % values`, refused when the widths, precisions and values could exceed the cap."""
    values_seq = values if isinstance(values, tuple) else (values,)
    budget = len(template)
    for width, precision, _kind in _FORMAT_SPEC.findall(template):
        if "*" in (width, precision):
            raise SecurityError("'*' widths are not allowed in templates")
        if len(width) > 6 or len(precision) > 6:
            raise SecurityError("the formatted text would be too long")
        budget += max(int(width or 0), int(precision or 0))
    if isinstance(values, Mapping):
        budget += sum(_length(v) for v in values.values()) * max(1, template.count("%("))
    else:
        budget += sum(_length(v) for v in values_seq)
    if budget > MAX_VALUE_LENGTH:
        raise SecurityError("the formatted text would be too long")
    return template % values


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `~` joins going through the environment's bounded join."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.bounded_join({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with no globals and bounded strings, lists and numbers."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = BoundedCodeGenerator

    def __init__(self, autoescape: bool = False) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=autoescape)
        self.globals.clear()

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        """Apply an intercepted operator, refusing results over the caps."""
        if op == "**":
            raise SecurityError("powers are not allowed in templates")
        if op == "%":
            return bounded_format(left, right) if isinstance(left, str) else operator.mod(left, right)
        if op == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                self._check_length(len(left) + len(right))
            return operator.add(left, right)
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int):
                self._check_length(len(seq) * max(times, 0))
        if (
            isinstance(left, int | float)
            and isinstance(right, int | float)
            and abs(left * 1.0 * right) > MAX_NUMBER
        ):
            raise SecurityError("the number is too large")
        return operator.mul(left, right)

    def bounded_join(self, join: Any, items: Iterable[Any]) -> Any:
        """Join the parts of a `~` expression, refused when the result would be too long."""
        parts = tuple(items)
        self._check_length(sum(_length(part) for part in parts))
        return join(parts)

    def wrap_str_format(self, value: Any) -> Any:
        """Refuse str.format and format_map: widths in format specs can ask for any length."""
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise SecurityError("str.format is not allowed in templates")

        return refused

    @staticmethod
    def _check_length(length: int) -> None:
        if length > MAX_VALUE_LENGTH:
            raise SecurityError(f"a value would be longer than {MAX_VALUE_LENGTH:,} characters")


def source_problems(env: BoundedSandbox, source: str) -> list[tuple[int, str]]:
    """Return (line, problem) for numbers too long and nesting too deep, read from the raw tokens."""
    brackets: list[str] = []
    blocks = 0
    after_block_begin = False
    for lineno, token, value in env.lexer.tokeniter(source, None):
        if token == TOKEN_WHITESPACE:
            continue
        if token == TOKEN_INTEGER and len(value.replace("_", "")) > MAX_DIGITS:
            return [(lineno, f"numbers may have at most {MAX_DIGITS} digits")]
        if token == TOKEN_OPERATOR and value in _OPENERS:
            brackets.append(value)
        elif token == TOKEN_OPERATOR and value in _OPENERS.values() and brackets:
            brackets.pop()
        elif after_block_begin and token == TOKEN_NAME:
            blocks = max(0, blocks + (1 if value in _BLOCKS else -1 if value.startswith("end") else 0))
        if len(brackets) > MAX_NESTING:
            return [(lineno, f"brackets are nested more than {MAX_NESTING} deep")]
        if blocks > MAX_NESTING:
            return [(lineno, f"blocks ({{% if %}} ...) are nested more than {MAX_NESTING} deep")]
        after_block_begin = token == TOKEN_BLOCK_BEGIN
    return []
