"""Template bombs: every way of growing a value is capped on every render path, and refused at save."""

import contextlib
import tracemalloc

import pytest
from jinja2.exceptions import SecurityError

from webapp.services import templates
from webapp.services.template_sandbox import MAX_VALUE_LENGTH, BoundedSandbox

DOUBLE = "{% set a = name * 2000 %}" + "{% set a = a ~ a %}" * 16 + "{{ a|length }}"
BOMBS = {
    "percent width": "{{ '%1500000000s' % name }}",
    "percent precision": "{{ '%.900000000f' % 1.5 }}",
    "percent star": "{{ '%*s' % (900000000, name) }}",
    "percent many args": "{{ ('%s' * 300) % ((name * 100,) * 300) }}",
    "tilde doubling": DOUBLE,
    "plus doubling": DOUBLE.replace("a ~ a", "a + a"),
    "list doubling": "{% set a = [name] * 1000 %}" + "{% set a = a + a %}" * 16 + "{{ a|length }}",
    "long output": "{{ name }}" * 1200,
    "big number": "{{ points * 999999999999 * 99999999 }}",
}
BAD_SOURCE = {
    "4301-digit number": "{{ " + "9" * 4301 + " }}",
    "250 nested brackets": "{{ " + "(" * 250 + "1" + ")" * 250 + " }}",
    "1200 nested ifs": "{%if 1%}" * 1200,
    "300 nested ifs, closed": "{%if 1%}" * 300 + "x" + "{%endif%}" * 300,
}


def _peak_mb(action) -> float:
    tracemalloc.start()
    with contextlib.suppress(templates.TemplateProblem):
        action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_bombs_are_refused_at_save_time_without_using_memory(source):
    peak = _peak_mb(lambda: templates.check_template(source))
    assert templates.check_template(source)
    assert peak < 50


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_every_render_path_refuses_bombs(source):
    with pytest.raises(templates.TemplateProblem):
        templates.render(source, templates.SAMPLE_CONTEXT)
    with pytest.raises(templates.TemplateProblem):
        templates.render(source, templates.SAMPLE_CONTEXT, autoescape=True)
    assert templates.preview("", source, templates.SAMPLE_CONTEXT).errors


@pytest.mark.parametrize(
    "source",
    [
        "{{ '%1500000000s' % name }}",
        DOUBLE,
        "{{ '{:>1500000000}'.format(name) }}",
        "{{ (name + name) * 1100 }}",
    ],
)
def test_the_sandbox_itself_caps_values_even_unchecked(source):
    """A caller that skipped check_template still cannot allocate past the cap."""
    env = BoundedSandbox()
    with pytest.raises(SecurityError):
        env.from_string(source).render(name="Asha Verma")


@pytest.mark.parametrize("source", BAD_SOURCE.values(), ids=BAD_SOURCE.keys())
def test_crafted_sources_are_a_problem_with_a_line_not_an_exception(source):
    problems = templates.check_template(source)
    assert len(problems) == 1
    assert problems[0].startswith("body, line 1: ")


def test_what_renders_with_sample_data_but_not_with_the_longest_names_is_refused():
    source = "{{ name * 200 }}"  # 10 chars x 200 fits; 120 chars x 200 does not
    problems = templates.check_template(source)
    assert problems == [
        f"body: refused while rendering: a value would be longer than {MAX_VALUE_LENGTH:,} characters"
    ]


def test_ordinary_templates_still_render():
    source = "Hi {{ first_name|title }}, {{ '%d' % points }} points; {{ 'day' ~ ('s' if days != 1 else '') }}"
    assert templates.check_template(source) == []
    assert templates.render(source, templates.SAMPLE_CONTEXT) == "Hi Asha, 1450 points; days"


@pytest.mark.parametrize(
    ("source", "warned"),
    [
        (
            "Hi {name}",
            ["body, line 1: “{name}” is sent as written; placeholders take double braces: {{ name }}"],
        ),
        ("Hi {{ name }}", []),
        ("Line\nthen { first_name } and {foo}", 2),
        ("{{ {'a': 1}|length }} {% if true %}{x}{% endif %}", 1),
    ],
)
def test_single_braces_are_warned_about(source, warned):
    warnings = templates.template_warnings(source)
    if isinstance(warned, int):
        assert len(warnings) == warned
        assert "line 2" in warnings[0] or warned == 1
    else:
        assert warnings == warned
    assert templates.preview("", source, templates.SAMPLE_CONTEXT).warnings == warnings
